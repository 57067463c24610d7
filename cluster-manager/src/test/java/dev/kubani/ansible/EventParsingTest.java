package dev.kubani.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubani.core.KubaniException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Small pure pieces; the event stream itself is checked against real ansible in PlaybookRunnerTest. */
class EventParsingTest {
    @Test
    void parsesEventsAndIgnoresJunk() {
        AnsibleEvent e = AnsibleEvent.parse("{\"ts\": \"2026-11-23T14:26:30.315+00:00\", \"event\": \"failed\", "
                + "\"play\": \"P\", \"task\": \"T\", \"role\": \"r\", \"host\": \"h\", \"msg\": \"boom\", "
                + "\"ignore_errors\": false, \"stats\": null}");
        assertThat(e.event()).isEqualTo("failed");
        assertThat(e.step()).isEqualTo("r : T");
        assertThat(e.isResult()).isTrue();
        assertThat(AnsibleEvent.parse("not json")).isNull();
        assertThat(AnsibleEvent.parse("[1,2]")).isNull();
        assertThat(AnsibleEvent.parse("")).isNull();
        AnsibleEvent s = AnsibleEvent.parse("{\"event\":\"stats\",\"stats\":{\"h\":{\"ok\":2,\"failures\":1}}}");
        assertThat(s.stats().get("h").failed()).isEqualTo(1);
    }

    @Test
    void changedPathsOfKubaniFilesAreParsedPrintedAndKeptInJson() {
        AnsibleEvent e = AnsibleEvent.parse("{\"event\": \"changed\", \"play\": \"Workers\", \"role\": \"k3s_common\", "
                + "\"task\": \"Write the K3s files\", \"host\": \"w1\", \"paths\": [\"/etc/rancher/k3s/config.yaml\", 7]}");
        assertThat(e.paths()).as("only strings are paths").containsExactly("/etc/rancher/k3s/config.yaml");
        assertThat(e.toMap()).containsEntry("paths", java.util.List.of("/etc/rancher/k3s/config.yaml"));
        java.io.StringWriter out = new java.io.StringWriter();
        new PlainProgress(new java.io.PrintWriter(out), 0).event(e, null);
        assertThat(out.toString().strip())
                .isEqualTo("changed      w1  k3s_common : Write the K3s files (/etc/rancher/k3s/config.yaml)");
        AnsibleEvent plain = AnsibleEvent.parse("{\"event\": \"changed\", \"task\": \"T\", \"host\": \"w1\"}");
        assertThat(plain.paths()).isEmpty();
        assertThat(plain.toMap()).doesNotContainKey("paths");
    }

    @Test
    void extraVarsForms() {
        Path cwd = Path.of(".");
        assertThat(ExtraVars.check("{\"k3s_version\":\"v1.28.5+k3s1\"}", cwd)).startsWith("{");
        assertThat(ExtraVars.check("k3s_version=v1.28.5+k3s1 msg='a b'", cwd)).contains("k3s_version");
        assertThatThrownBy(() -> ExtraVars.check("{\"k3s_version\":", cwd)).isInstanceOf(KubaniException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ExtraVars.check("k3s_version", cwd)).hasMessageContaining("not key=value");
        assertThatThrownBy(() -> ExtraVars.check("9x=1", cwd)).hasMessageContaining("not a valid variable name");
        assertThatThrownBy(() -> ExtraVars.check("@/nonexistent/vars.yml", cwd)).hasMessageContaining("no such file");
        assertThatThrownBy(() -> ExtraVars.check("[1]", cwd)).hasMessageContaining("must be an object");
    }

    @Test
    void limitOutputParsing() {
        assertThat(HostScope.parse("  hosts (2):\n    w1\n    w2\n")).containsExactly("w1", "w2");
        assertThat(HostScope.parse("[WARNING]: Could not match\n  hosts (0):\n")).isEmpty();
    }

    @Test
    void fatalLinesGiveTheModuleStderr() {
        java.util.Map<String, String> d = new java.util.HashMap<>();
        PlaybookRunner.detail("fatal: [pi-1]: FAILED! => {\"changed\": false, \"module_stderr\": \"sudo: a password is "
                + "required\\n\", \"msg\": \"MODULE FAILURE\\nSee stdout/stderr for the exact error\", \"rc\": 1}", d);
        assertThat(d).containsEntry("pi-1", "sudo: a password is required");
        PlaybookRunner.detail("fatal: [x]: FAILED! => {\"censored\": \"the output has been hidden\"}", d);
        assertThat(d).doesNotContainKey("x");
    }
}

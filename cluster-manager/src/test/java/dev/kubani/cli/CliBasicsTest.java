package dev.kubani.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.testutil.CliRunner;
import dev.kubani.testutil.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliBasicsTest {
    @TempDir
    Path tmp;

    @Test
    void versionInEveryFormat() {
        CliRunner cli = new CliRunner(tmp);
        assertThat(cli.run("version").out()).startsWith("cluster-mgr 0.1.0 (Java ");
        assertThat(cli.run("--version").out()).startsWith("cluster-mgr 0.1.0");
        assertThat(cli.run("version", "-o", "json").out()).startsWith("{\"version\":\"0.1.0\"");
        assertThat(cli.run("version", "--output", "yaml").out()).startsWith("version: 0.1.0");
    }

    @Test
    void completionScriptsForBashAndZsh() {
        CliRunner cli = new CliRunner(tmp);
        CliRunner.Result bash = cli.run("completion", "bash");
        assertThat(bash.code()).isZero();
        assertThat(bash.out()).contains("complete -F").contains("add-node").contains("config-set").contains("--reserved-cpu");
        CliRunner.Result zsh = cli.run("completion", "zsh");
        assertThat(zsh.out()).startsWith("autoload -U +X compinit").contains("bashcompinit").contains("discover");
        assertThat(cli.run("completion", "fish").code()).isEqualTo(2);
    }

    @Test
    void helpListsEveryCommandAndExitsZero() {
        CliRunner.Result r = new CliRunner(tmp).run("--help");
        assertThat(r.code()).isZero();
        for (String c : Commands.ALL.keySet()) {
            assertThat(r.out()).contains(c);
        }
    }

    @Test
    void everyCommandAndSubcommandAnswersHelp() {
        CliRunner cli = new CliRunner(tmp);
        java.util.List<java.util.List<String>> paths = new java.util.ArrayList<>();
        collect(Cli.build(new CliEnv(java.util.Map.of(), tmp, new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()), java.io.InputStream.nullInputStream(), false)),
                new java.util.ArrayList<>(), paths);
        assertThat(paths.size()).isGreaterThan(Commands.ALL.size() - 1);
        for (java.util.List<String> p : paths) {
            java.util.List<String> args = new java.util.ArrayList<>(p);
            args.add("--help");
            CliRunner.Result r = cli.run(args.toArray(String[]::new));
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
            assertThat(r.out()).as(String.join(" ", args)).contains("Usage: cluster-mgr " + String.join(" ", p));
        }
    }

    private static void collect(picocli.CommandLine cl, java.util.List<String> prefix, java.util.List<java.util.List<String>> out) {
        for (var e : cl.getSubcommands().entrySet()) {
            java.util.List<String> p = new java.util.ArrayList<>(prefix);
            p.add(e.getKey());
            out.add(p);
            collect(e.getValue(), p, out);
        }
    }

    @Test
    void preferencesFileSetsDefaultsAndFlagsOverrideIt() throws IOException {
        Path inv = Fixtures.inventory(tmp);
        Path xdg = tmp.resolve("xdg");
        Files.createDirectories(xdg.resolve("cluster-manager"));
        Files.writeString(xdg.resolve("cluster-manager/config.toml"),
                "inventory = \"" + inv + "\"\noutput = \"json\"\ncolor = \"never\"\nrefresh = 3\n");
        CliRunner cli = new CliRunner(tmp).env("XDG_CONFIG_HOME", xdg.toString());
        CliRunner.Result r = cli.run("config-get", "cluster_name");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out().trim()).isEqualTo("\"homelab\"");
        assertThat(cli.run("config-get", "cluster_name", "-o", "table").out().trim()).isEqualTo("homelab");
        // KUBANI_INVENTORY beats the preference file, --inventory beats both
        CliRunner.Result missing = cli.env("KUBANI_INVENTORY", tmp.resolve("nope.yml").toString()).run("validate");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.yml does not exist");
        assertThat(cli.run("validate", "--inventory", inv.toString(), "-o", "table").code()).isZero();
    }

    @Test
    void aBrokenPreferenceFileGetsOneLine() throws IOException {
        Path xdg = tmp.resolve("xdg");
        Files.createDirectories(xdg.resolve("cluster-manager"));
        Files.writeString(xdg.resolve("cluster-manager/config.toml"), "output = \"xml\"\n");
        CliRunner cli = new CliRunner(tmp).env("XDG_CONFIG_HOME", xdg.toString());
        CliRunner.Result r = cli.run("validate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("config.toml: output = \"xml\" is not one of table, json, yaml");
        assertThat(r.err().lines().count()).isEqualTo(1);
        Files.writeString(xdg.resolve("cluster-manager/config.toml"), "output = \n");
        r = cli.run("validate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("config.toml:").contains("not valid TOML");
    }

    @Test
    void colourOnlyOnATerminalAndNeverWithNoColor() throws IOException {
        Path inv = Fixtures.inventory(tmp);
        CliRunner cli = new CliRunner(tmp).env("NO_COLOR", null).tty(true);
        assertThat(cli.run("validate", "--inventory", inv.toString()).out()).contains("\u001b[");
        assertThat(cli.run("validate", "--inventory", inv.toString(), "--no-color").out()).doesNotContain("\u001b[");
        assertThat(cli.env("NO_COLOR", "1").run("validate", "--inventory", inv.toString()).out()).doesNotContain("\u001b[");
        assertThat(new CliRunner(tmp).env("NO_COLOR", null).tty(false).run("validate", "--inventory", inv.toString()).out())
                .doesNotContain("\u001b[");
    }

    @Test
    void stackTracesOnlyWithTripleVerbose() throws IOException {
        Path inv = Fixtures.inventory(tmp);
        CliRunner cli = new CliRunner(tmp);
        CliRunner.Result quiet = cli.run("add-node", "x", "1.2.3.4", "--role", "worker", "--inventory", inv.toString());
        assertThat(quiet.err()).doesNotContain("\tat ");
        CliRunner.Result loud = cli.run("add-node", "x", "1.2.3.4", "--role", "worker", "--inventory", inv.toString(), "-vvv");
        assertThat(loud.code()).isEqualTo(2);
        assertThat(loud.err()).contains("\tat dev.kubani.");
    }

    @Test
    void removeNodeAsksAndRespectsTheAnswer() throws IOException {
        Path inv = Fixtures.inventory(tmp);
        String before = Files.readString(inv);
        CliRunner cli = new CliRunner(tmp);
        CliRunner.Result no = cli.stdin("n\n").run("remove-node", "desktop", "--inventory", inv.toString());
        assertThat(no.code()).isEqualTo(1);
        assertThat(no.err()).contains("Remove desktop (workers, 100.64.0.2)");
        assertThat(no.out()).contains("aborted: nothing changed");
        assertThat(Files.readString(inv)).isEqualTo(before);
        CliRunner.Result closed = cli.stdin("").run("remove-node", "desktop", "--inventory", inv.toString());
        assertThat(closed.code()).isEqualTo(2);
        assertThat(closed.err()).contains("--force");
        // "y" goes on to drain and uninstall: see provision.RemoveNodeCommandTest
    }

    @Test
    void addNodeLooksUpTheIpOnTheTailnet() throws IOException {
        Path inv = Fixtures.inventory(tmp);
        Path st = tmp.resolve("s.json");
        Files.writeString(st, Fixtures.resource("tailscale/status-1.76.json"));
        CliRunner cli = new CliRunner(tmp);
        CliRunner.Result r = cli.run("add-node", "rpi-kitchen", "--role", "worker", "--status-file", st.toString(),
                "--inventory", inv.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("tailscale_ip: 100.64.0.14");
        CliRunner.Result unknown = cli.run("add-node", "ghost", "--role", "worker", "--status-file", st.toString(),
                "--inventory", inv.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no machine called 'ghost' on the tailnet");
    }

    @Test
    void demoRunsOnSampleDataAndSaysSo() {
        CliRunner.Result r = new CliRunner(tmp).run("demo");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("SAMPLE DATA").contains("$ cluster-mgr discover").contains("rpi-kitchen")
                .contains("added rpi-kitchen").contains("error: IP:").contains("no errors").contains("v1.31.5+k3s1");
    }

    @Test
    void configGetHidesSecretsUnlessAsked() throws IOException {
        Path inv = Fixtures.inventory(tmp);
        CliRunner cli = new CliRunner(tmp);
        CliRunner.Result set = cli.run("config-set", "cloudflare_api_token", "s3cr3t-value", "--inventory", inv.toString());
        assertThat(set.code()).isZero();
        assertThat(set.out()).doesNotContain("s3cr3t-value").contains("(hidden)");
        assertThat(cli.run("config-get", "cloudflare_api_token", "--inventory", inv.toString()).out()).doesNotContain("s3cr3t");
        assertThat(cli.run("config-get", "cloudflare_api_token", "--reveal", "--inventory", inv.toString()).out())
                .contains("s3cr3t-value");
    }
}

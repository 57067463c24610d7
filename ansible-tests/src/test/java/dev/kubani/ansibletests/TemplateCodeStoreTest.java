package dev.kubani.ansibletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The compiled template code the kubani strategies keep between runs (KUBANI_TEMPLATE_CACHE,
 * strategy_plugins/kubani_linear.py), and the kubani_unvault filter. Runs ansible-playbook on three
 * local-connection hosts with filter plugins of the test's own.
 */
@DisplayName("stored template code and kubani_unvault")
class TemplateCodeStoreTest {
    Path work;
    Path store;
    Path filters;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Repo.onPath("ansible-playbook"), "ansible-core is not installed");
        work = AnsibleRun.localHosts("kubani-code-store", "a", "b", "c");
        store = work.resolve("store");
        filters = Files.createDirectories(work.resolve("filters"));
        // A value that differs at every call: a template that were evaluated while compiling
        // (Jinja's constant folding) would repeat it for every host and, once stored, every run.
        writeFilters("plain");
        // Tests named by a string in select/selectattr.
        Path tests = Files.createDirectories(work.resolve("tests"));
        Files.writeString(tests.resolve("kubani_test.py"), """
                class TestModule(object):
                    def tests(self):
                        return {"kubani_test_nonempty": lambda value: bool(value),
                                "kubani_test_odd": lambda value: value % 2 == 1}
                """);
        // Rendered by the template action in each host's worker: code only a worker compiles.
        Files.writeString(work.resolve("worker.j2"), "{{ 'worker-only-marker' | kubani_test_kind }}\n");
    }

    /** The test's filters; kind "plain" or "context" decides how Jinja must call kubani_test_kind. */
    void writeFilters(String kind) throws IOException {
        String decorator = kind.equals("context") ? "@pass_context\n" : "";
        String params = kind.equals("context") ? "ctx, value" : "value";
        Files.writeString(filters.resolve("kubani_test.py"), """
                import uuid
                from jinja2 import pass_context


                def nonce(value):
                    return "%%s-%%s" %% (value, uuid.uuid4().hex)


                %sdef kind(%s):
                    return "%s:%%s" %% value


                def args(value):
                    return "args:%%s" %% value


                class FilterModule(object):
                    def filters(self):
                        return {"kubani_test_nonce": nonce, "kubani_test_kind": kind, "kubani_test_args": args}
                """.formatted(decorator, params, kind));
    }

    Proc.Result run(String tasks, String... extraEnv) throws IOException {
        Path playbook = work.resolve("play.yml");
        Files.writeString(playbook, """
                - name: Templates
                  hosts: all
                  gather_facts: false
                  tasks:
                %s""".formatted(tasks.indent(4)));
        Map<String, String> env = AnsibleRun.env(work);
        env.put("KUBANI_TEMPLATE_CACHE", store.toString());
        env.put("ANSIBLE_FILTER_PLUGINS", filters + ":" + Repo.ansible().resolve("filter_plugins"));
        env.put("ANSIBLE_TEST_PLUGINS", work.resolve("tests").toString());
        for (int i = 0; i + 1 < extraEnv.length; i += 2) {
            env.put(extraEnv[i], extraEnv[i + 1]);
        }
        return Proc.run(Repo.ansible(), env, 300, "ansible-playbook", "-i", work.resolve("hosts.yml").toString(),
                playbook.toString());
    }

    static final String NONCE = """
            - name: Nonce
              ansible.builtin.debug:
                msg: "{{ 'n' | kubani_test_nonce }} {{ 'k' | kubani_test_kind }}"
            - name: Rendered in a worker only
              ansible.builtin.template:
                src: worker.j2
                dest: "{{ playbook_dir }}/rendered-{{ inventory_hostname }}"
                mode: "0600"
            """;

    static List<String> values(String out, String prefix) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("(?<=[\" ])(" + Pattern.quote(prefix) + "[^\" ]*)").matcher(out);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    Path storeFile() throws IOException {
        try (var files = Files.list(store)) {
            return files.filter(p -> p.getFileName().toString().matches("templates-py.*\\.bin")).findFirst()
                    .orElseThrow();
        }
    }

    @Test
    @DisplayName("stored after a run (0700 directory, 0600 file), reused by the next without a rewrite, "
            + "and filters still run at every render")
    void storedAndReused() throws IOException {
        Proc.Result first = run(NONCE);
        assertThat(first.rc()).as(first.out()).isZero();
        Path file = storeFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(new String(Files.readAllBytes(file), 0, 19, StandardCharsets.US_ASCII))
                .isEqualTo("kubani-jinja-code 2");
        Object inode = Files.getAttribute(file, "unix:ino");
        // What only the workers compiled (a template file's text) reached the file, and the files
        // they left for the main process are gone.
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).contains("worker-only-marker");
        try (var left = Files.list(store)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".worker-"));
        }

        Proc.Result second = run(NONCE);
        assertThat(second.rc()).as(second.out()).isZero();
        // Every template came from the file: nothing new to write, so it was not replaced.
        assertThat(Files.getAttribute(storeFile(), "unix:ino")).isEqualTo(inode);

        List<String> nonces = new ArrayList<>(values(first.out(), "n-"));
        nonces.addAll(values(second.out(), "n-"));
        assertThat(nonces).hasSize(6).doesNotHaveDuplicates();
        assertThat(values(second.out(), "plain:")).containsOnly("plain:k").hasSize(3);
    }

    /** Runs one step whose command a worker templates per host (ARGS), then shows its output, with ANSIBLE_DEBUG. */
    Proc.Result runInWorkers(String args) throws IOException {
        Proc.Result r = run("""
                - name: Templated for each host by its worker
                  ansible.builtin.command: >-
                    echo %s
                  changed_when: false
                  register: echoed
                - name: Show
                  ansible.builtin.debug:
                    msg: "{{ echoed.stdout }}"
                """.formatted(args), "ANSIBLE_DEBUG", "1");
        assertThat(r.rc()).as(r.out()).isZero();
        return r;
    }

    /** The pids of the ANSIBLE_DEBUG lines holding TEXT (each such line starts with its writer's pid). */
    static List<String> debugPids(Proc.Result r, String text) {
        return r.out().lines().filter(l -> l.contains(text)).map(l -> l.strip().split("\\s+")[0]).toList();
    }

    /** The controller's pid: the process that compiles a step ahead of its workers. */
    static String controllerPid(Proc.Result r) {
        return debugPids(r, "kubani strategy: compiling ahead for").stream().findFirst().orElseThrow();
    }

    /** "host=value" for each host's shown output "args:VALUE" followed by REST. */
    static List<String> shownPerHost(Proc.Result r, String rest) {
        Matcher shown = Pattern.compile("ok: \\[(\\w)\\] => \\{\\s*\"msg\": \"args:(\\w)" + Pattern.quote(rest) + "\"")
                .matcher(r.out());
        List<String> pairs = new ArrayList<>();
        while (shown.find()) {
            pairs.add(shown.group(1) + "=" + shown.group(2));
        }
        return pairs;
    }

    @Test
    @DisplayName("a step's arguments are compiled once, by the controller before it forks the workers, "
            + "and rendered per host")
    void argumentsCompiledAhead() throws IOException {
        Proc.Result r = runInWorkers("{{ inventory_hostname | kubani_test_args }}");
        List<String> compiled = r.out().lines()
                .filter(l -> l.contains("kubani: compiled a template calling") && l.contains("kubani_test_args"))
                .toList();
        assertThat(compiled).hasSize(1);
        assertThat(compiled.get(0).strip().split("\\s+")[0]).isEqualTo(controllerPid(r));
        // Each host's own value.
        assertThat(shownPerHost(r, "")).containsExactlyInAnyOrder("a=a", "b=b", "c=c");
    }

    @Test
    @DisplayName("a filter or test named in map/select/selectattr is looked up once, by the controller, not by each worker")
    void namedFiltersResolvedAhead() throws IOException {
        Proc.Result r = runInWorkers("{{ [inventory_hostname] | map('kubani_test_args') | first }}"
                + " {{ [[1], []] | select('kubani_test_nonempty') | length }}"
                + " {{ [{'x': 1}] | selectattr('x', 'kubani_test_odd') | length }}");
        String controller = controllerPid(r);
        for (String name : List.of("filter kubani_test_args", "test kubani_test_nonempty", "test kubani_test_odd")) {
            assertThat(debugPids(r, "kubani: looking up the " + name)).as(name).containsExactly(controller);
        }
        assertThat(shownPerHost(r, " 1 1")).containsExactlyInAnyOrder("a=a", "b=b", "c=c");
    }

    @Test
    @DisplayName("an existing directory of the user's that others can read is used as it is")
    void existingDirectory() throws IOException {
        Files.createDirectories(store);
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(run(NONCE).rc()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(storeFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rwxr-xr-x");
    }

    @Test
    @DisplayName("stored code is not used once a filter it calls is called differently")
    void filterKindChanged() throws IOException {
        assertThat(run(NONCE).rc()).isZero();
        writeFilters("context");
        Proc.Result r = run(NONCE);
        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(values(r.out(), "context:")).containsOnly("context:k").hasSize(3);
    }

    @Test
    @DisplayName("a torn file is a miss and is replaced; a directory others can write to is neither read "
            + "nor written, with a warning; off stores nothing")
    void untrustedOrBroken() throws IOException {
        assertThat(run(NONCE).rc()).isZero();
        Path file = storeFile();
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        Proc.Result torn = run(NONCE);
        assertThat(torn.rc()).as(torn.out()).isZero();
        assertThat(torn.out()).doesNotContain("Traceback");
        assertThat(values(torn.out(), "plain:")).hasSize(3);
        // Replaced by a whole file again (the same templates: about the same size).
        assertThat(Files.size(storeFile())).isGreaterThan(whole.length * 9L / 10);

        // Group-writable: another user could plant code there.
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxrwx---"));
        byte[] planted = "kubani-jinja-code 2 planted\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(storeFile(), planted);
        Proc.Result open = run(NONCE.replace("'n'", "'m'"));
        assertThat(open.rc()).as(open.out()).isZero();
        assertThat(values(open.out(), "m-")).hasSize(3);
        assertThat(Files.readAllBytes(storeFile())).isEqualTo(planted);
        // One warning (Ansible wraps it, even inside the path), and the run goes on.
        assertThat(open.out().replaceAll("\\s+", ""))
                .contains(("KUBANI_TEMPLATE_CACHE=" + store + " is not a directory of yours").replace(" ", ""));
        assertThat(open.out()).doesNotContain("Traceback");

        Files.delete(storeFile());
        Files.deleteIfExists(store.resolve(".lock"));
        Files.delete(store);
        Proc.Result off = run(NONCE, "KUBANI_TEMPLATE_CACHE", "off");
        assertThat(off.rc()).as(off.out()).isZero();
        assertThat(values(off.out(), "plain:")).hasSize(3);
        assertThat(store).doesNotExist();
        assertThat(work.resolve("off")).doesNotExist();
    }

    @Test
    @DisplayName("kubani_unvault decrypts as unvault does, once per text, and fails in one line on a wrong password")
    void unvault() throws IOException {
        Proc.Result r = run("""
                - name: Encrypt
                  ansible.builtin.set_fact:
                    vaulted: "{{ 'k3s_cluster_token: abc123' | vault('pw', vaultid='kubani') }}"
                - name: Same as unvault, twice
                  ansible.builtin.assert:
                    that:
                      - (vaulted | kubani_unvault('pw', vaultid='kubani')) == (vaulted | unvault('pw', vaultid='kubani'))
                      - (vaulted | kubani_unvault('pw', vaultid='kubani') | from_yaml).k3s_cluster_token == 'abc123'
                      - ('plain text' | kubani_unvault('pw')) == 'plain text'
                """);
        assertThat(r.rc()).as(r.out()).isZero();
        Proc.Result bad = run("""
                - name: Wrong password
                  ansible.builtin.debug:
                    msg: "{{ ('x' | vault('pw')) | kubani_unvault('other') }}"
                """);
        assertThat(bad.rc()).isNotZero();
        assertThat(bad.out()).contains("Unable to decrypt").doesNotContain("Traceback");
    }
}

package dev.kubani.ansibletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The copy of parsed files that kubani_linear installs in Ansible's DataLoader (_copy_parsed) gives
 * what copy.deepcopy gives: the same types, values and file positions at every node, the same
 * aliasing and cycles, and nothing mutable shared with the cached original. Checked on every YAML
 * file under ansible/, on YAML with anchors, a recursive alias and special tags, and on 300 seeded
 * random documents.
 */
@DisplayName("kubani_linear: the copy of parsed files equals copy.deepcopy")
class ParsedCopyTest {
    static final String SCRIPT = """
            import copy, os, random, sys
            from ansible.parsing.dataloader import DataLoader
            from ansible.parsing.yaml.objects import AnsibleBaseYAMLObject
            from ansible.plugins.loader import strategy_loader
            mod = sys.modules[strategy_loader.get("kubani_linear", class_only=True).__module__]
            fast = mod._copy_parsed
            MUTABLE = (dict, list, set)

            def walk(x, seen, out):
                # the identity pattern: each container by the order it was first met
                if isinstance(x, MUTABLE) or isinstance(x, AnsibleBaseYAMLObject) and not isinstance(x, str):
                    if id(x) in seen:
                        out.append(("ref", seen[id(x)]))
                        return
                    seen[id(x)] = len(seen)
                out.append((type(x).__name__, getattr(x, "ansible_pos", None) if isinstance(x, AnsibleBaseYAMLObject) else None,
                            None if isinstance(x, (dict, list, set)) else repr(x)))
                if isinstance(x, dict):
                    for k, v in x.items():
                        walk(k, seen, out)
                        walk(v, seen, out)
                elif isinstance(x, list):
                    for v in x:
                        walk(v, seen, out)
                elif isinstance(x, set):
                    out.append(sorted(repr(v) for v in x))

            def containers(x, acc):
                if isinstance(x, MUTABLE):
                    if id(x) in acc:
                        return
                    acc[id(x)] = x
                    for v in (list(x.items()) if isinstance(x, dict) else list(x)):
                        for w in (v if isinstance(x, dict) else (v,)):
                            containers(w, acc)
                return acc

            def check(name, data):
                a, b = copy.deepcopy(data), fast(data)
                sa, sb = [], []
                walk(a, {}, sa)
                walk(b, {}, sb)
                if sa != sb:
                    print("DIFFERENT %s" % name)
                    return False
                shared = set(containers(data, {})) & set(containers(b, {}))
                if shared:
                    print("SHARED %s" % name)
                    return False
                return True

            loader = DataLoader()
            ok, n = True, 0
            for root, dirs, files in os.walk(sys.argv[1]):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for f in sorted(files):
                    if f.endswith((".yml", ".yaml")):
                        path = os.path.join(root, f)
                        data = loader.load_from_file(path, cache=False, unsafe=True)
                        ok = check(path, data) and ok
                        n += 1
            special = loader.load(
                "a: &x {k: [1, 2, {z: null}]}\\nb: *x\\nc: !unsafe '{{ raw }}'\\nd: 2024-01-02\\n"
                "e: !!set {p, q}\\nf: !!binary aGk=\\ng: &r [1, *r]\\nh: [*x, *x]\\n1.5: true\\n", "special.yml")
            ok = check("special", special) and ok
            rng = random.Random(int(sys.argv[2]))
            def gen(depth):
                c = rng.random()
                if depth > 4 or c < 0.35:
                    return rng.choice(["s", "'q'", "12", "1.5", "true", "null", "~", "x y", "'{{ v }}'", "2020-02-02"])
                if c < 0.7:
                    return "{" + ", ".join("k%d: %s" % (i, gen(depth + 1)) for i in range(rng.randint(0, 4))) + "}"
                return "[" + ", ".join(gen(depth + 1) for _ in range(rng.randint(0, 4))) + "]"
            for i in range(300):
                doc = "root: " + gen(0) + "\\nalias: &a " + gen(1) + "\\nagain: *a\\n"
                ok = check("random %d" % i, loader.load(doc, "random-%d.yml" % i)) and ok
            print("OK %d files" % n if ok else "FAILED")
            sys.exit(0 if ok else 1)
            """;

    @Test
    @DisplayName("same as deepcopy on every file under ansible/, special YAML and seeded random documents")
    void sameAsDeepcopy() throws IOException {
        assumeTrue(Repo.onPath("ansible-playbook"), "ansible-core is not installed");
        Path work = Files.createTempDirectory("kubani-parsed-copy");
        Path script = work.resolve("check.py");
        Files.writeString(script, SCRIPT);
        long seed = Long.getLong("kubani.seed", 20261206L);
        Proc.Result r = Proc.run(Repo.ansible(), Map.of("ANSIBLE_CONFIG", Repo.ansible().resolve("ansible.cfg").toString(),
                        "ANSIBLE_LOCAL_TEMP", work.resolve("tmp").toString()), 120,
                "/usr/bin/python3", script.toString(), Repo.ansible().toString(), Long.toString(seed));
        assertThat(r.rc()).as("seed %d: %s", seed, r.out()).isZero();
        assertThat(r.out()).containsPattern("OK [1-9][0-9]+ files");
    }
}

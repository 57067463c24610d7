package dev.kubani.ansibletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Property 17 at the level of the module every role writes files with: for random starting
 * trees and random item lists, ansible/library/kubani_files.py (run by /usr/bin/python3 with
 * ansible's module_utils, as a module run does) reaches exactly the described state, reports
 * exactly the paths that differed, changes nothing in check mode, reports nothing the second
 * time, and leaves no temporary file. Seeded; a failure names its seed.
 */
@DisplayName("Property 17 (kubani_files): any start state converges to the items in one run, and the next run changes nothing")
class KubaniFilesPropertyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FILE_MODES = {"0600", "0640", "0644", "0755"};
    private static final String[] DIR_MODES = {"0700", "0750", "0755"};
    private static final String ALPHABET = "abcxyz019 =:#-\n\n\t\"'{}é日本";

    /** What a path is: type ("file", "dir", "link"), octal mode, and content for files. */
    record Node(String type, String mode, String content) {}

    private String owner;
    private String group;

    @Test
    void convergesExactlyAndIdempotently() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        assumeTrue(Repo.onPath("ansible-playbook"), "ansible-core is not installed");
        long base = Long.parseLong(System.getProperty("kubani.seed", "7152843"));
        for (int i = 0; i < 40; i++) {
            long seed = base + i * 7919L;
            try {
                oneCase(new Random(seed));
            } catch (AssertionError | IOException e) {
                throw new AssertionError("case " + i + " failed; reproduce with -Dkubani.seed=" + base
                        + " (case seed " + seed + "): " + e.getMessage(), e);
            }
        }
    }

    private void oneCase(Random r) throws IOException {
        Path root = Files.createTempDirectory("kubani-files-prop");
        PosixFileAttributes a = Files.readAttributes(root, PosixFileAttributes.class);
        owner = a.owner().getName();
        group = a.group().getName();
        // Start state: a few files, directories and a link, each present or not at random.
        Files.writeString(root.resolve("target"), "the link's target\n");
        for (String d : List.of("d0", "d1")) {
            if (r.nextBoolean()) {
                Files.createDirectory(root.resolve(d));
                chmod(root.resolve(d), pick(r, DIR_MODES));
            }
        }
        if (r.nextBoolean()) {
            Files.createDirectories(root.resolve("old/sub"));
            Files.writeString(root.resolve("old/sub/f"), "x");
        }
        List<String> filePaths = List.of("f0", "f1", "f2", "d0/a", "d0/b", "d1/c");
        for (String f : filePaths) {
            Path p = root.resolve(f);
            if (Files.isDirectory(p.getParent()) && r.nextInt(3) > 0) {
                if (r.nextInt(6) == 0) {
                    Files.createSymbolicLink(p, root.resolve("target"));
                } else {
                    Files.writeString(p, text(r));
                    chmod(p, pick(r, FILE_MODES));
                }
            }
        }
        Map<String, Node> before = snapshot(root);

        // Items: directories first (so their files can follow), then files or absences.
        List<Map<String, Object>> items = new ArrayList<>();
        Map<String, Node> want = new TreeMap<>(before);
        List<String> expectChanged = new ArrayList<>();
        for (String d : List.of("d0", "d1")) {
            if (r.nextInt(4) > 0) {
                String mode = pick(r, DIR_MODES);
                items.add(item(root, d, "directory", null, mode));
                expect(want, expectChanged, d, new Node("dir", mode.substring(1), null));
            }
        }
        if (r.nextBoolean()) {
            items.add(item(root, "old", "absent", null, null));
            boolean existed = want.containsKey("old");
            want.keySet().removeIf(k -> k.equals("old") || k.startsWith("old/"));
            if (existed) {
                expectChanged.add("old");
            }
        }
        for (String f : filePaths) {
            String parent = f.contains("/") ? f.substring(0, f.indexOf('/')) : null;
            boolean parentThere = parent == null || (want.containsKey(parent) && want.get(parent).type().equals("dir"));
            int pick = r.nextInt(4);
            if (pick == 0 || !parentThere) {
                continue;
            }
            if (pick == 1) {
                items.add(item(root, f, "absent", null, null));
                if (want.remove(f) != null) {
                    expectChanged.add(f);
                }
            } else {
                String content = text(r);
                String mode = pick(r, FILE_MODES);
                items.add(item(root, f, "file", content, mode));
                expect(want, expectChanged, f, new Node("file", mode.substring(1), content));
            }
        }

        JsonNode check = run(root, items, true);
        assertThat(snapshot(root)).as("check mode changes nothing").isEqualTo(before);
        assertThat(check.path("changed").asBoolean()).isEqualTo(!expectChanged.isEmpty());

        JsonNode real = run(root, items, false);
        assertThat(real.path("failed").asBoolean(false)).as(real.toString()).isFalse();
        assertThat(snapshot(root)).as("the tree is exactly what the items say").isEqualTo(want);
        List<String> reported = new ArrayList<>();
        real.path("changed_paths").forEach(p -> reported.add(root.relativize(Path.of(p.asText())).toString()));
        assertThat(reported).as("exactly the paths that differed, in item order").isEqualTo(expectChanged);
        assertThat(reported).as("check mode predicted the same paths")
                .isEqualTo(toRelative(root, check.path("changed_paths")));
        assertThat(Files.readString(root.resolve("target"))).as("a replaced link's target is untouched")
                .isEqualTo("the link's target\n");

        JsonNode again = run(root, items, false);
        assertThat(again.path("changed").asBoolean()).as(again.toString()).isFalse();
        assertThat(again.path("changed_paths")).isEmpty();
        try (Stream<Path> s = Files.walk(root)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".kubani-"));
        }
    }

    private static List<String> toRelative(Path root, JsonNode paths) {
        List<String> out = new ArrayList<>();
        paths.forEach(p -> out.add(root.relativize(Path.of(p.asText())).toString()));
        return out;
    }

    private static void expect(Map<String, Node> want, List<String> changed, String path, Node node) {
        if (!node.equals(want.get(path))) {
            changed.add(path);
        }
        want.put(path, node);
    }

    private Map<String, Object> item(Path root, String rel, String state, String content, String mode) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", root.resolve(rel).toString());
        m.put("state", state);
        if (content != null) {
            m.put("content", content);
        }
        if (mode != null) {
            m.put("mode", mode);
        }
        m.put("owner", owner);
        m.put("group", group);
        return m;
    }

    private static JsonNode run(Path root, List<Map<String, Object>> items, boolean check) throws IOException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("files", items);
        args.put("_ansible_check_mode", check);
        Path argsFile = Files.createTempFile("kubani-files-args", ".json");
        try {
            JSON.writeValue(argsFile.toFile(), Map.of("ANSIBLE_MODULE_ARGS", args));
            Proc.Result res = Proc.run(root, Map.of(), 60, "/usr/bin/python3",
                    Repo.ansible().resolve("library/kubani_files.py").toString(), argsFile.toString());
            String out = res.out().strip();
            return JSON.readTree(out.substring(out.indexOf('{')));
        } finally {
            Files.deleteIfExists(argsFile);
        }
    }

    private static Map<String, Node> snapshot(Path root) throws IOException {
        Map<String, Node> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> !p.equals(root)).toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, new Node("link", "", Files.readSymbolicLink(p).toString()));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, new Node("dir", mode(p), null));
                } else {
                    out.put(rel, new Node("file", mode(p), Files.readString(p, StandardCharsets.UTF_8)));
                }
            }
        }
        out.remove("target");
        return out;
    }

    private static String mode(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        int m = 0;
        for (PosixFilePermission x : perms) {
            m |= 1 << (8 - x.ordinal());
        }
        return Integer.toOctalString(m);
    }

    private static void chmod(Path p, String octal) throws IOException {
        int m = Integer.parseInt(octal, 8);
        StringBuilder sb = new StringBuilder();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((m & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(sb.toString()));
    }

    private static String pick(Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }

    private static String text(Random r) {
        int n = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(60);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}

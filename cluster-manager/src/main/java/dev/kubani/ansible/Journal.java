package dev.kubani.ansible;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads the last lines of a systemd unit's journal on a node, through ansible (same
 * inventory, same connection and become settings as the playbook), for failure reports.
 * The result comes back through ansible-core's own {@code --tree} output (one JSON file per
 * host), so no callback from a collection (such as ansible.posix's json) is needed.
 */
public final class Journal {
    public static final int LINES = 20;
    private static final long TIMEOUT_SECONDS = 40;

    private final Path ansibleDir;
    private final Map<String, String> env;

    public Journal(Path ansibleDir, Map<String, String> env) {
        this.ansibleDir = ansibleDir;
        this.env = env;
    }

    /** The last lines of {@code unit} on {@code host}, or one line saying why they could not be read. */
    public List<String> last(Path inventory, String host, String unit) {
        String adhoc = env.getOrDefault("KUBANI_ANSIBLE", "ansible");
        String bin = PlaybookRunner.which(adhoc, env);
        if (bin == null) {
            return List.of("(journal not read: '" + adhoc + "' is not installed)");
        }
        Path tree;
        try {
            tree = Files.createTempDirectory("kubani-journal");
        } catch (IOException e) {
            return List.of("(journal not read: " + e.getMessage() + ")");
        }
        List<String> cmd = List.of(bin, host, "-i", inventory.toString(), "--become", "--tree", tree.toString(),
                "-m", "ansible.builtin.command",
                "-a", "journalctl -u " + unit + " -n " + LINES + " --no-pager -o short-iso");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(ansibleDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path cfg = ansibleDir.resolve("ansible.cfg");
        if (cfg.toFile().isFile() && !env.containsKey("ANSIBLE_CONFIG")) {
            pb.environment().put("ANSIBLE_CONFIG", cfg.toString());
        }
        pb.environment().remove("ANSIBLE_STDOUT_CALLBACK");
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of("(journal not read: no answer from " + host + " within " + TIMEOUT_SECONDS + " s)");
            }
            Path result = tree.resolve(host);
            if (!Files.isRegularFile(result)) {
                return List.of("(journal not read: no result for " + host + ")");
            }
            return parse(Files.readAllBytes(result), host);
        } catch (IOException e) {
            return List.of("(journal not read: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("(journal not read: interrupted)");
        } finally {
            try (var files = Files.list(tree)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(tree);
            } catch (IOException ignored) {
                // a temporary directory left behind is harmless
            }
        }
    }

    /** Lines from one host's result as ansible's --tree writes it. */
    static List<String> parse(byte[] json, String host) {
        JsonNode r;
        try {
            r = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            return List.of("(journal not read: unexpected output from ansible)");
        }
        if (r == null || !r.isObject()) {
            return List.of("(journal not read: no result for " + host + ")");
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode l : r.path("stdout_lines")) {
            String s = l.asText();
            lines.add(s.length() > 300 ? s.substring(0, 297) + "..." : s);
        }
        if (lines.isEmpty()) {
            String why = r.path("msg").asText("");
            String err = r.path("stderr").asText("");
            String reason = !err.isBlank() ? err : why;
            return List.of("(journal empty" + (reason.isBlank() ? "" : ": " + FailureReport.oneLine(reason)) + ")");
        }
        int from = Math.max(0, lines.size() - LINES);
        return lines.subList(from, lines.size());
    }
}

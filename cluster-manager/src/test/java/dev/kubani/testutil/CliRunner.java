package dev.kubani.testutil;

import dev.kubani.cli.Cli;
import dev.kubani.cli.CliEnv;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs cluster-mgr in-process with its own environment, stdin and captured output. */
public final class CliRunner {
    private final Map<String, String> env = new HashMap<>();
    private Path cwd;
    private String stdin = "";
    private boolean tty;

    public CliRunner(Path cwd) {
        this.cwd = cwd;
        env.put("HOME", cwd.resolve("home").toString());
        env.put("NO_COLOR", "1");
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        // as bin/cluster-mgr does: the checkout holds the playbooks and examples
        String repo = System.getProperty("kubani.repo.root");
        if (repo != null) {
            env.put("KUBANI_HOME", Path.of(repo).toAbsolutePath().normalize().toString());
        }
    }

    public CliRunner env(String k, String v) {
        if (v == null) {
            env.remove(k);
        } else {
            env.put(k, v);
        }
        return this;
    }

    public CliRunner stdin(String s) {
        this.stdin = s;
        return this;
    }

    public CliRunner tty(boolean t) {
        this.tty = t;
        return this;
    }

    public CliRunner cwd(Path p) {
        this.cwd = p;
        return this;
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnv e = new CliEnv(Map.copyOf(env), cwd, new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), tty);
        int code = Cli.run(e, args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Exit code and captured streams. */
    public record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }

        /** Standard output read as one JSON document per line ({@code -o json} event streams). */
        public java.util.List<com.fasterxml.jackson.databind.JsonNode> jsonLines() throws java.io.IOException {
            com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
            java.util.List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
            for (String l : out.split("\n")) {
                lines.add(m.readTree(l));
            }
            return lines;
        }
    }
}

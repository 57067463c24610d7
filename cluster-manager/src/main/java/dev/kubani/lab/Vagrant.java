package dev.kubani.lab;

import dev.kubani.core.KubaniException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs Vagrant in the lab directory. The Vagrantfile builds its VMs from
 * 'cluster-mgr lab plan --output json'; the environment passed here carries the resolved lab
 * settings so that plan is the same one the caller computed.
 */
public final class Vagrant {
    private final Path executable;
    private final Path labDir;
    private final Map<String, String> env;

    public Vagrant(Path executable, Path labDir, Map<String, String> env) {
        this.executable = executable;
        this.labDir = labDir;
        this.env = env;
    }

    /** The environment for Vagrant: the caller's, plus every resolved lab setting. */
    public static Map<String, String> environment(Map<String, String> base, LabSettings s) {
        Map<String, String> env = new LinkedHashMap<>(base);
        for (LabVar v : LabVar.values()) {
            env.remove(v.env().toUpperCase(java.util.Locale.ROOT));
            env.put(v.env(), String.valueOf(s.get(v)));
        }
        env.remove(LabSettings.SUBNET_ENV.toUpperCase(java.util.Locale.ROOT));
        env.put(LabSettings.SUBNET_ENV, s.subnet().toString());
        env.remove(LabSettings.PROVIDER_ENV.toUpperCase(java.util.Locale.ROOT));
        env.put(LabSettings.PROVIDER_ENV, s.provider().id());
        env.put("VAGRANT_DEFAULT_PROVIDER", s.provider().id());
        return env;
    }

    public int up(Provider p, Consumer<String> lines) {
        return run(List.of("up", "--provider", p.id()), lines);
    }

    public int destroy(Consumer<String> lines) {
        return run(List.of("destroy", "--force"), lines);
    }

    public int validate(Consumer<String> lines) {
        return run(List.of("validate"), lines);
    }

    public String pluginList() {
        StringBuilder sb = new StringBuilder();
        run(List.of("plugin", "list"), l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    /** State of each VM Vagrant knows in this directory (running, poweroff, not_created, ...). */
    public Map<String, String> status() {
        List<String> out = new ArrayList<>();
        int code = run(List.of("status", "--machine-readable"), out::add);
        if (code != 0) {
            String err = out.stream().filter(l -> l.contains(",error-exit,")).findFirst()
                    .orElse(out.isEmpty() ? "exit code " + code : out.get(out.size() - 1));
            throw KubaniException.failed("'vagrant status' failed in " + labDir + ": " + err.replace("\\n", " ").strip());
        }
        return parseStatus(out);
    }

    /** Reads 'vagrant status --machine-readable' lines: TIMESTAMP,TARGET,state,STATE. */
    public static Map<String, String> parseStatus(List<String> lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : lines) {
            String[] f = l.split(",", 5);
            if (f.length >= 4 && f[2].equals("state") && !f[1].isEmpty()) {
                m.put(f[1], f[3]);
            }
        }
        return m;
    }

    int run(List<String> args, Consumer<String> lines) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(labDir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.accept(line);
                }
            }
            return p.waitFor();
        } catch (IOException e) {
            throw KubaniException.unexpectedState("cannot run " + executable + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KubaniException.failed("vagrant was interrupted; check the VMs with 'cluster-mgr lab status'");
        }
    }
}

package dev.kubani.secrets;

import dev.kubani.core.KubaniException;
import dev.kubani.sops.CryptRule;
import dev.kubani.sops.Sops;
import dev.kubani.sops.SopsFormat;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Encrypts and decrypts SOPS files: with the {@code sops} binary when it is on PATH, else with
 * Kubani's own implementation ({@link Sops}). KUBANI_SOPS=builtin|sops|auto chooses (default
 * auto). The binary gets keys through its environment and plaintext through a 0600 file in a
 * private temporary directory, never on a command line.
 */
public abstract class SopsEngine {
    public abstract String name();

    public abstract String encrypt(String plaintext, SopsFormat format, List<String> recipients, CryptRule rule);

    public abstract String decrypt(String encrypted, SopsFormat format, String source, List<String> identities);

    public static SopsEngine choose(Map<String, String> env) {
        String mode = env.getOrDefault("KUBANI_SOPS", "auto");
        Path sops = onPath("sops", env.get("PATH"));
        switch (mode) {
            case "builtin":
                return new Builtin();
            case "sops":
                if (sops == null) {
                    throw KubaniException.invalidInput("KUBANI_SOPS=sops, but no sops binary is on PATH");
                }
                return new Binary(sops);
            case "auto":
            case "":
                return sops == null ? new Builtin() : new Binary(sops);
            default:
                throw KubaniException.invalidInput("KUBANI_SOPS=" + mode + ": use builtin, sops or auto");
        }
    }

    static Path onPath(String exe, String path) {
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, exe);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Kubani's own SOPS implementation. */
    public static final class Builtin extends SopsEngine {
        @Override
        public String name() {
            return "builtin";
        }

        @Override
        public String encrypt(String plaintext, SopsFormat format, List<String> recipients, CryptRule rule) {
            return Sops.encrypt(Sops.parsePlain(plaintext, format, "<secret>"), format, recipients, rule);
        }

        @Override
        public String decrypt(String encrypted, SopsFormat format, String source, List<String> identities) {
            Sops.Decrypted d = Sops.decrypt(encrypted, format, source, identities);
            return Sops.emitPlain(d.docs(), format);
        }
    }

    /** The sops binary. */
    public static final class Binary extends SopsEngine {
        private final Path sops;

        Binary(Path sops) {
            this.sops = sops;
        }

        @Override
        public String name() {
            return "sops (" + sops + ")";
        }

        @Override
        public String encrypt(String plaintext, SopsFormat format, List<String> recipients, CryptRule rule) {
            List<String> cmd = new ArrayList<>(List.of(sops.toString(), "--encrypt",
                    "--input-type", type(format), "--output-type", type(format),
                    "--age", String.join(",", recipients), "--" + rule.kind().key.replace('_', '-'), rule.value()));
            return run(cmd, plaintext, format, Map.of(), "encrypt");
        }

        @Override
        public String decrypt(String encrypted, SopsFormat format, String source, List<String> identities) {
            List<String> cmd = new ArrayList<>(List.of(sops.toString(), "--decrypt",
                    "--input-type", type(format), "--output-type", type(format)));
            return run(cmd, encrypted, format, Map.of("SOPS_AGE_KEY", String.join("\n", identities)), "decrypt " + source);
        }

        private static String type(SopsFormat f) {
            return f == SopsFormat.DOTENV ? "dotenv" : f.name().toLowerCase(java.util.Locale.ROOT);
        }

        private String run(List<String> cmd, String input, SopsFormat format, Map<String, String> env, String what) {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("kubani-sops-", PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                Path in = dir.resolve("input." + (format == SopsFormat.DOTENV ? "env" : type(format)));
                Files.writeString(in, input, StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(in, SecureFiles.PRIVATE);
                cmd.add(in.toString());
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
                pb.environment().remove("SOPS_AGE_KEY");
                pb.environment().putAll(env);
                Process p = pb.start();
                p.getOutputStream().close();
                CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
                    try {
                        return p.getErrorStream().readAllBytes();
                    } catch (IOException e) {
                        return new byte[0];
                    }
                });
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw KubaniException.failed("sops " + what + " did not finish within 120 s");
                }
                if (p.exitValue() != 0) {
                    String msg = new String(err.get(), StandardCharsets.UTF_8).strip();
                    int nl = msg.indexOf('\n');
                    throw KubaniException.failed("sops " + what + " failed (exit " + p.exitValue() + "): "
                            + (nl < 0 ? msg : msg.substring(0, nl)));
                }
                return new String(out, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw KubaniException.failed("cannot run sops: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw KubaniException.failed("interrupted while running sops");
            } catch (java.util.concurrent.ExecutionException e) {
                throw KubaniException.failed("sops " + what + " failed");
            } finally {
                deleteTree(dir);
            }
        }

        private static void deleteTree(Path dir) {
            if (dir == null) {
                return;
            }
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort; the directory is private
            }
        }
    }
}

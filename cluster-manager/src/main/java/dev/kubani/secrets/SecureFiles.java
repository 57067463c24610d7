package dev.kubani.secrets;

import dev.kubani.core.KubaniException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;

/**
 * Atomic writes (temp file created with its final mode, fsync, rename, fsync of the directory)
 * and the lock that serialises Kubani's secret writers on one repository.
 */
public final class SecureFiles {
    public static final Set<PosixFilePermission> PRIVATE = dev.kubani.util.AtomicFile.PRIVATE;

    private SecureFiles() {
    }

    /** Writes {@code text} atomically with mode 0600 (for keys and secrets). */
    public static void writePrivate(Path file, String text) {
        write(file, text, PRIVATE);
    }

    /** Writes {@code text} atomically, keeping the file's current mode (0644 for a new file). */
    public static void writeKeepingMode(Path file, String text) {
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-r--r--");
        try {
            if (Files.exists(file)) {
                perms = Files.getPosixFilePermissions(file);
            }
        } catch (IOException e) {
            throw KubaniException.failed("cannot read the mode of " + file + ": " + e.getMessage());
        }
        write(file, text, perms);
    }

    private static void write(Path file, String text, Set<PosixFilePermission> perms) {
        try {
            dev.kubani.util.AtomicFile.write(file, text, perms);
        } catch (IOException e) {
            throw KubaniException.failed("cannot write " + file + ": " + e.getMessage() + " (check the directory's permissions)");
        }
    }

    /** An exclusive lock for secret writes on {@code repo}, held until closed. */
    public static AutoCloseable lock(Path repo) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(repo.toAbsolutePath().normalize().toString()
                    .getBytes(StandardCharsets.UTF_8));
            Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "kubani-secrets-"
                    + HexFormat.of().formatHex(h, 0, 8) + ".lock");
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.lock();
            return () -> {
                l.release();
                ch.close();
            };
        } catch (Exception e) {
            throw KubaniException.failed("cannot take the secrets lock: " + e.getMessage());
        }
    }

    /** Reads a file as UTF-8, with a one-line error naming it. */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw KubaniException.invalidInput(file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw KubaniException.invalidInput(file + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw KubaniException.failed("cannot read " + file + ": " + e.getMessage());
        }
    }
}

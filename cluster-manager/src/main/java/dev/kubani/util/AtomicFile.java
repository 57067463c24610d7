package dev.kubani.util;

import dev.kubani.core.KubaniException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way Kubani replaces a file: a temp file in the same directory created with its final
 * mode, fsync, atomic rename, fsync of the directory. A crash leaves the old file or the new one.
 */
public final class AtomicFile {
    /** rw------- : keys, tokens, kubeconfigs, secrets. */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    /** rw-r--r-- : the mode of a new ordinary file. */
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFile() {
    }

    /** Writes {@code text} to {@code file} with exactly {@code perms}, atomically. */
    public static void write(Path file, String text, Set<PosixFilePermission> perms) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(perms))) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            // the umask may have removed bits at creation; set exactly what was asked
            Files.setPosixFilePermissions(tmp, perms);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system does not support atomic rename in " + dir);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // some file systems cannot sync a directory; the rename is still atomic
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code text} keeping the file's current mode ({@link #PUBLIC} for a new file). */
    public static void writeKeepingMode(Path file, String text) throws IOException {
        write(file, text, Files.exists(file) ? Files.getPosixFilePermissions(file) : PUBLIC);
    }

    /**
     * Takes a lock file the way kubectl does (create it exclusively; delete it to release),
     * waiting up to {@code wait}; {@code held} says what to tell the person when it stays taken.
     */
    public static void acquireLockFile(Path lock, Duration wait, String held) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                Files.createFile(lock);
                return;
            } catch (FileAlreadyExistsException e) {
                if (System.nanoTime() > deadline) {
                    throw KubaniException.unexpectedState(held);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw KubaniException.failed("interrupted while waiting for " + lock);
                }
            } catch (IOException e) {
                throw KubaniException.failed("cannot create the lock file " + lock + ": " + e.getMessage());
            }
        }
    }
}

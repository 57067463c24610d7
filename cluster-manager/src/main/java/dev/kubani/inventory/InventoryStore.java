package dev.kubani.inventory;

import dev.kubani.core.KubaniException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads and writes inventory files safely. Every change runs under an advisory lock on the
 * inventory directory, starts from the files as they are on disk, is validated in full before
 * anything is written, and lands by atomic rename (temp file in the same directory, fsync,
 * rename, fsync of the directory), so a crash leaves the old file or the new one, never a torn
 * one. The previous version of each file is kept in {@code .backups/} beside the hosts file
 * (the newest {@value #BACKUPS_KEPT}).
 */
public final class InventoryStore {
    public static final int BACKUPS_KEPT = 10;
    private static final String LOCK_NAME = ".kubani.lock";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** What an edit returns: the new text of each file it changes, and a line for people. */
    public record Change(Map<Path, String> files, List<String> summary) {
    }

    /** The outcome of a committed change. */
    public record Result(Inventory before, Inventory after, List<String> summary, List<Problem> warnings) {
    }

    private InventoryStore() {
    }

    /**
     * Locks the inventory, loads it, applies {@code edit}, validates the result and writes the
     * changed files. The edit sees the current files, so concurrent writers never lose updates.
     */
    public static Result update(Path hostsFile, boolean allowNonTailscale, Function<Inventory, Change> edit) {
        Path dir = hostsFile.toAbsolutePath().normalize().getParent();
        // File locks are per process; threads of one process queue on this lock first.
        java.util.concurrent.locks.ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(dir.toString(),
                k -> new java.util.concurrent.locks.ReentrantLock());
        local.lock();
        try {
            return updateLocked(hostsFile, dir, allowNonTailscale, edit);
        } finally {
            local.unlock();
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.locks.ReentrantLock> LOCAL_LOCKS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static Result updateLocked(Path hostsFile, Path dir, boolean allowNonTailscale, Function<Inventory, Change> edit) {
        try (FileChannel lockCh = FileChannel.open(dir.resolve(LOCK_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = lockCh.lock()) {
            cleanStaleTemps(dir);
            Inventory before = Inventory.load(hostsFile);
            if (!before.structuralProblems().isEmpty()) {
                throw existingProblems(before, allowNonTailscale);
            }
            Change change = edit.apply(before);
            if (change.files().isEmpty()) {
                return new Result(before, before, change.summary(), List.of());
            }
            Map<Path, String> texts = new LinkedHashMap<>();
            texts.put(hostsFile, Inventory.read(hostsFile));
            for (Path p : Inventory.varFiles(hostsFile)) {
                texts.put(p, Inventory.read(p));
            }
            texts.putAll(change.files());
            Inventory after = Inventory.fromTexts(hostsFile, texts);
            List<Problem> problems = after.validate(allowNonTailscale);
            List<Problem> errors = problems.stream().filter(Problem::isError).toList();
            if (!errors.isEmpty()) {
                // Only now look at the file as it was: were these problems there before the change?
                if (before.validate(allowNonTailscale).stream().anyMatch(Problem::isError)) {
                    throw existingProblems(before, allowNonTailscale);
                }
                throw KubaniException.invalidInput(errors.get(0).field() + ": " + errors.get(0).message()
                        + "; nothing was written");
            }
            for (Map.Entry<Path, String> e : change.files().entrySet()) {
                writeAtomically(e.getKey(), e.getValue(), dir);
            }
            return new Result(before, after, change.summary(), problems.stream().filter(p -> !p.isError()).toList());
        } catch (IOException e) {
            throw KubaniException.failed("cannot update " + hostsFile + ": " + e.getMessage()
                    + " (check the directory's permissions)");
        }
    }

    private static KubaniException existingProblems(Inventory before, boolean allowNonTailscale) {
        List<Problem> existing = before.validate(allowNonTailscale).stream().filter(Problem::isError).toList();
        return KubaniException.invalidInput("the inventory already has " + existing.size() + " problem"
                + (existing.size() == 1 ? "" : "s") + ", first: " + existing.get(0)
                + "; fix it (see 'cluster-mgr validate') before changing the inventory");
    }

    /** Writes {@code text} to {@code file} atomically, keeping a backup of the old content. */
    public static void writeAtomically(Path file, String text, Path backupRoot) throws IOException {
        if (Files.exists(file)) {
            backup(file, backupRoot);
        }
        dev.kubani.util.AtomicFile.writeKeepingMode(file, text);
    }

    private static void backup(Path file, Path backupRoot) throws IOException {
        Path bdir = backupRoot.resolve(".backups");
        Files.createDirectories(bdir);
        String rel = backupRoot.relativize(file.toAbsolutePath()).toString().replace('/', '_');
        Path target = bdir.resolve(rel + "." + STAMP.format(Instant.now()) + "-" + ProcessHandle.current().pid());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        List<Path> mine = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(bdir, rel + ".*")) {
            ds.forEach(mine::add);
        }
        mine.sort(null);
        for (int i = 0; i < mine.size() - BACKUPS_KEPT; i++) {
            Files.deleteIfExists(mine.get(i));
        }
    }

    /** Temp files left by a writer that died; safe to delete because we hold the lock. */
    private static void cleanStaleTemps(Path dir) throws IOException {
        List<Path> dirs = new ArrayList<>(List.of(dir));
        for (String sub : List.of("group_vars", "host_vars")) {
            if (Files.isDirectory(dir.resolve(sub))) {
                dirs.add(dir.resolve(sub));
            }
        }
        for (Path d : dirs) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, ".*.tmp-*")) {
                for (Path p : ds) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

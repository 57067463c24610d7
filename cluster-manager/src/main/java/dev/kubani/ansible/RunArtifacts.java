package dev.kubani.ansible;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The per-run directories under ansible/artifacts/: {@code <UTC timestamp>/} holding
 * {@code stdout} (ansible's own output), {@code events.jsonl} and {@code command}. Directories
 * are private (0700); only the newest {@code keep} runs are kept.
 */
public final class RunArtifacts {
    public static final int DEFAULT_KEEP = 20;
    static final Pattern RUN_DIR = Pattern.compile("\\d{8}T\\d{6}Z(-\\d+)?");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private RunArtifacts() {
    }

    /** Creates a fresh run directory and removes the oldest runs beyond {@code keep}. */
    public static Path create(Path root, int keep, Instant now) throws IOException {
        Files.createDirectories(root);
        String base = STAMP.format(now);
        Path dir = null;
        for (int i = 1; dir == null; i++) {
            Path p = root.resolve(i == 1 ? base : base + "-" + i);
            try {
                Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                dir = p;
            } catch (FileAlreadyExistsException e) {
                // another run in the same second
            }
        }
        prune(root, Math.max(1, keep));
        return dir;
    }

    /** Deletes all but the newest {@code keep} run directories. */
    static void prune(Path root, int keep) throws IOException {
        List<Path> runs = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory).filter(p -> RUN_DIR.matcher(p.getFileName().toString()).matches())
                    .forEach(runs::add);
        }
        runs.sort(Comparator.comparing((Path p) -> p.getFileName().toString().substring(0, 16))
                .thenComparingInt(RunArtifacts::suffix));
        for (int i = 0; i < runs.size() - keep; i++) {
            deleteTree(runs.get(i));
        }
    }

    private static int suffix(Path p) {
        String n = p.getFileName().toString();
        return n.length() > 16 ? Integer.parseInt(n.substring(17)) : 1;
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path q : all) {
                Files.deleteIfExists(q);
            }
        }
    }
}

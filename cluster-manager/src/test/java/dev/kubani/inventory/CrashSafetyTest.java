package dev.kubani.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.testutil.Fixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL at any moment leaves the old file or the new one, never a torn one. */
class CrashSafetyTest {
    @TempDir
    Path tmp;

    private static Process writer(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void sigkillAtRandomPointsNeverTearsTheInventory() throws Exception {
        Path hosts = Fixtures.inventory(tmp);
        Random rnd = new Random(42);
        long lastSeen = 0;
        int kills = 12;
        for (int k = 0; k < kills; k++) {
            Process p = writer(hosts.toString(), "counter");
            AtomicLong committed = new AtomicLong(-1);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        committed.set(Long.parseLong(line.substring("committed ".length())));
                    }
                } catch (IOException e) {
                    // killed
                }
            });
            reader.start();
            Thread.sleep(300 + rnd.nextInt(900));
            // SIGKILL through the process handle: Process.destroyForcibly() would also close our end of
            // the writer's stdout, so the reader could miss the last "committed" lines still in the pipe.
            p.toHandle().destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            reader.join(5000);
            long c = committed.get();
            Inventory inv = Inventory.load(hosts);
            assertThat(inv.validate(false).stream().filter(Problem::isError)).isEmpty();
            Object counter = inv.groupVars("all").get("counter");
            long onDisk = counter == null ? 0 : ((Number) counter).longValue();
            // each run restarts at 1: the file holds the last committed write, or the one in flight
            if (c >= 1) {
                assertThat(onDisk).as("kill %d", k).isBetween(c, c + 1);
            } else {
                assertThat(onDisk).as("kill %d", k).isIn(lastSeen, 1L);
            }
            lastSeen = onDisk;
            assertThat(Files.readString(hosts)).contains("# servers first").contains("# end of workers");
        }
        // the next writer removes any temp file a killed one left behind
        InventoryStore.update(hosts, false, inv -> InventoryEditor.setVar(inv, "all", List.of("counter"), 0L));
        try (var s = Files.list(hosts.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-"))).isEmpty();
        }
        try (var s = Files.list(hosts.getParent().resolve(".backups"))) {
            assertThat(s.count()).isLessThanOrEqualTo(InventoryStore.BACKUPS_KEPT);
        }
    }

    @Test
    void eightConcurrentWriterProcessesLoseNoUpdate() throws Exception {
        Path hosts = Fixtures.inventory(tmp);
        List<Process> ps = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            ps.add(writer(hosts.toString(), "hosts", "w" + w, "6", String.valueOf(w)));
        }
        for (Process p : ps) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        Inventory inv = Inventory.load(hosts);
        assertThat(inv.nodes()).hasSize(2 + 8 * 6);
        assertThat(inv.validate(false).stream().filter(Problem::isError)).isEmpty();
    }

    @Test
    void eightConcurrentThreadsLoseNoUpdate() throws Exception {
        Path hosts = Fixtures.inventory(tmp);
        ExecutorService ex = Executors.newFixedThreadPool(8);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int base = 100 + w;
            fs.add(ex.submit(() -> CrashWriter.main(new String[] {hosts.toString(), "hosts", "t" + base, "10",
                String.valueOf(base)})));
        }
        for (Future<?> f : fs) {
            f.get(120, TimeUnit.SECONDS);
        }
        ex.shutdown();
        assertThat(Inventory.load(hosts).nodes()).hasSize(2 + 80);
    }
}

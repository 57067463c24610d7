package dev.kubani.services;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/** A private redis-server from Debian's package, on a free loopback port with a password; no persistence. */
final class LocalRedis implements AutoCloseable {
    final Path dir;
    final int port;
    final String password = "redis-" + Long.toHexString(System.nanoTime());
    private Process process;
    private final Thread hook = new Thread(this::stop, "stop-test-redis");

    private LocalRedis(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static LocalRedis start() throws Exception {
        Path server = Path.of("/usr/bin/redis-server");
        if (!Files.isExecutable(server)) {
            throw new IOException("redis-server is not installed: run scripts/install-deps.sh");
        }
        LocalRedis r = new LocalRedis(Files.createTempDirectory("kubani-redis"), LocalServers.freePort());
        try {
            r.process = new ProcessBuilder(server.toString(), "--port", Integer.toString(r.port), "--bind", "127.0.0.1",
                    "--requirepass", r.password, "--dir", r.dir.toString(), "--save", "", "--appendonly", "no",
                    "--daemonize", "no", "--logfile", r.dir.resolve("redis.log").toString())
                    .redirectErrorStream(true).redirectOutput(r.dir.resolve("stdout.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(r.hook);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try (Jedis j = r.admin()) {
                    j.ping();
                    return r;
                } catch (JedisException e) {
                    if (System.nanoTime() > deadline || !r.process.isAlive()) {
                        throw new IOException("redis-server did not start: " + Files.readString(r.dir.resolve("stdout.log")), e);
                    }
                    Thread.sleep(50);
                }
            }
        } catch (Exception e) {
            r.close();
            throw e;
        }
    }

    /** An authenticated connection as the default user. */
    Jedis admin() {
        Jedis j = new Jedis("127.0.0.1", port, 2000);
        j.auth(password);
        return j;
    }

    private void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down already
        }
        LocalServers.deleteTree(dir);
    }
}

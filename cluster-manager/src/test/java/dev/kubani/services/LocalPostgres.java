package dev.kubani.services;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server from Debian's packages, on a free loopback port in a temp dir,
 * with password (SCRAM) authentication over TCP. PostgreSQL refuses to run as root, so as root
 * it runs as the 'postgres' system user (runuser). {@link #close()} stops it and removes the dir.
 */
final class LocalPostgres implements AutoCloseable {
    static final String ADMIN = "kubani_admin";
    final Path dir;
    final int port;
    final String adminPassword = "admin-" + Long.toHexString(System.nanoTime());
    private final Path bin;
    private final Thread hook;

    private LocalPostgres(Path dir, int port, Path bin) {
        this.dir = dir;
        this.port = port;
        this.bin = bin;
        this.hook = new Thread(this::stopQuietly, "stop-test-postgres");
    }

    static Path binDir() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            throw new IOException("PostgreSQL is not installed (/usr/lib/postgresql missing): run scripts/install-deps.sh");
        }
        try (Stream<Path> s = Files.list(base)) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .max((a, b) -> Integer.compare(version(a), version(b)))
                    .orElseThrow(() -> new IOException("no initdb under /usr/lib/postgresql"));
        }
    }

    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static LocalPostgres start() throws Exception {
        Path bin = binDir();
        Path dir = Files.createTempDirectory("kubani-pg");
        LocalPostgres pg = new LocalPostgres(dir, LocalServers.freePort(), bin);
        try {
            pg.init();
            Runtime.getRuntime().addShutdownHook(pg.hook);
            return pg;
        } catch (Exception e) {
            pg.stopQuietly();
            LocalServers.deleteTree(dir);
            throw e;
        }
    }

    private List<String> as(List<String> cmd) {
        if (LocalServers.isRoot()) {
            cmd.addAll(0, List.of("runuser", "-u", "postgres", "--"));
        }
        return cmd;
    }

    private void init() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path pw = dir.resolve("pwfile");
        Files.writeString(pw, adminPassword + "\n");
        if (LocalServers.isRoot()) {
            UserPrincipal pgUser = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, pgUser);
            Files.setOwner(pw, pgUser);
        }
        Path data = dir.resolve("data");
        LocalServers.run(dir.resolveSibling(dir.getFileName() + ".initdb.log"), as(LocalServers.cmd(bin.resolve("initdb").toString(),
                "-D", data.toString(), "-U", ADMIN, "--pwfile=" + pw, "--auth-host=scram-sha-256", "--auth-local=trust",
                "-E", "UTF8", "--no-sync", "--no-instructions")), 60);
        LocalServers.run(dir.resolveSibling(dir.getFileName() + ".start.log"), as(LocalServers.cmd(bin.resolve("pg_ctl").toString(),
                "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "30",
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                        + " -c fsync=off -c full_page_writes=off -c synchronous_commit=off",
                "start")), 60);
    }

    /** A superuser connection over TCP. */
    Connection admin(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ADMIN);
        p.setProperty("password", adminPassword);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
    }

    /** Creates a login role owning a database of the same name, as the Bitnami chart does for Authentik. */
    void createUserAndDatabase(String user, String password) throws SQLException {
        try (Connection c = admin("postgres"); var st = c.createStatement()) {
            st.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            st.execute("CREATE DATABASE " + user + " OWNER " + user);
        }
    }

    private void stopQuietly() {
        try {
            Path data = dir.resolve("data");
            if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                LocalServers.run(dir.resolveSibling(dir.getFileName() + ".stop.log"), as(LocalServers.cmd(bin.resolve("pg_ctl").toString(),
                        "-D", data.toString(), "-m", "immediate", "-w", "-t", "20", "stop")), 30);
            }
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // best effort: the server may be gone already
        }
    }

    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down already
        }
        LocalServers.deleteTree(dir);
        for (String log : List.of(".initdb.log", ".start.log", ".stop.log")) {
            try {
                Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + log));
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}

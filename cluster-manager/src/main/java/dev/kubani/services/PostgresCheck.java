package dev.kubani.services;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * {@code verify postgresql}: DNS, TCP, authentication, then a scratch table created, written,
 * read back and dropped. The scratch table is dropped even when a step fails halfway; if that
 * is impossible the report names it and says how to drop it.
 */
public final class PostgresCheck {
    public static final String CHECK = "postgresql";

    /** Where to connect and as whom. {@code credentialsHint} says where the password came from. */
    public record Settings(String host, int port, String database, String user, Duration timeout, String credentialsHint) {
    }

    private final Settings s;
    private final Secret password;

    public PostgresCheck(Settings settings, Secret password) {
        this.s = settings;
        this.password = password;
    }

    public List<CheckResult> run() {
        Steps steps = new Steps();
        String hostPort = s.host() + ":" + s.port();
        Network.dnsAndTcp(steps, CHECK, s.host(), s.port(), s.timeout(), "postgresql");
        Connection[] conn = new Connection[1];
        try {
            steps.step(CHECK + " auth", s.user() + "@" + hostPort + "/" + s.database(), () -> {
                conn[0] = connect(password.get());
                return "logged in as " + s.user() + " to database " + s.database();
            });
            String table = "kubani_verify_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
            steps.step(CHECK + " read-write", s.database() + "." + table, () -> readWrite(conn[0], table));
        } finally {
            closeQuietly(conn[0]);
        }
        return steps.results();
    }

    private Connection connect(String pw) throws CheckFailure {
        Properties p = new Properties();
        p.setProperty("user", s.user());
        p.setProperty("password", pw == null ? "" : pw);
        int secs = (int) Math.max(1, s.timeout().toSeconds());
        p.setProperty("connectTimeout", Integer.toString(secs));
        p.setProperty("loginTimeout", Integer.toString(secs));
        p.setProperty("socketTimeout", Integer.toString(secs));
        p.setProperty("ApplicationName", "kubani-verify");
        String host = s.host().contains(":") && !s.host().startsWith("[") ? "[" + s.host() + "]" : s.host();
        try {
            return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + s.port() + "/" + s.database(), p);
        } catch (SQLException e) {
            throw authFailure(e);
        }
    }

    private CheckFailure authFailure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String msg = Errors.firstLine(e.getMessage());
        return switch (state) {
            case "28P01" -> new CheckFailure("password authentication failed for user " + s.user(),
                    "the password from " + s.credentialsHint() + " does not match the server's; the chart sets it "
                            + "only on first install, so after rotating the Secret also change it in PostgreSQL "
                            + "(ALTER ROLE " + s.user() + " PASSWORD ...), see docs/services.md");
            case "28000" -> new CheckFailure("the server refused user " + s.user() + ": " + msg,
                    "check the user name (--postgres-user) and pg_hba rules of the server");
            case "3D000" -> new CheckFailure("database " + s.database() + " does not exist",
                    "pass the right name with --postgres-database (the chart creates 'authentik')");
            default -> new CheckFailure("cannot log in: " + (Errors.root(e) != e ? Errors.describe(e) : msg),
                    "check that the postgresql pod is ready ('cluster-mgr verify pods') and reachable through Traefik");
        };
    }

    private String readWrite(Connection c, String table) throws CheckFailure {
        int secs = (int) Math.max(1, s.timeout().toSeconds());
        boolean created = false;
        String doing = "CREATE TABLE";
        CheckFailure failure = null;
        try {
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(secs);
                st.execute("CREATE TABLE " + table + " (id integer PRIMARY KEY, note text NOT NULL)");
                created = true;
            }
            doing = "INSERT";
            String note = "written by cluster-mgr verify at " + java.time.Instant.now();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, note) VALUES (1, ?)")) {
                ps.setQueryTimeout(secs);
                ps.setString(1, note);
                ps.executeUpdate();
            }
            doing = "SELECT";
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(secs);
                try (ResultSet rs = st.executeQuery("SELECT note FROM " + table + " WHERE id = 1")) {
                    if (!rs.next() || !note.equals(rs.getString(1))) {
                        throw new CheckFailure("the row written to " + table + " did not read back",
                                "check the server's logs ('kubectl logs -n database postgresql-0')");
                    }
                }
            }
            doing = "DROP TABLE";
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(secs);
                st.execute("DROP TABLE " + table);
                created = false;
            }
            return "created, wrote, read back and dropped " + table;
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            String fix = "42501".equals(state)
                    ? "user " + s.user() + " may not create tables in schema public: make it the database owner or "
                            + "GRANT CREATE ON SCHEMA public TO " + s.user()
                    : "25006".equals(state) ? "the server is read-only (a replica, or out of disk): check 'kubectl logs -n database postgresql-0'"
                    : "check the server's logs ('kubectl logs -n database postgresql-0')";
            failure = new CheckFailure(doing + " failed: " + Errors.describe(e), fix, e);
            throw failure;
        } catch (CheckFailure f) {
            failure = f;
            throw f;
        } finally {
            if (created) {
                String left = dropQuietly(c, table, secs);
                if (left != null) {
                    String detail = (failure == null ? "" : failure.detail() + "; ") + "scratch table " + table
                            + " could not be dropped (" + left + ")";
                    // A finally that throws replaces the first failure: it carries both.
                    throw new CheckFailure(detail, "drop it by hand: psql -h " + s.host() + " -p " + s.port() + " -U "
                            + s.user() + " -d " + s.database() + " -c 'DROP TABLE IF EXISTS " + table + "'");
                }
            }
        }
    }

    /** Drops the scratch table, on the same connection or, if that broke, a new one; null when done. */
    private String dropQuietly(Connection c, String table, int secs) {
        String why = dropOn(c, table, secs);
        if (why == null) {
            return null;
        }
        try (Connection fresh = connect(password.get())) {
            return dropOn(fresh, table, secs);
        } catch (CheckFailure | SQLException e) {
            return why;
        }
    }

    private static String dropOn(Connection c, String table, int secs) {
        try {
            if (c == null || c.isClosed()) {
                return "connection closed";
            }
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(secs);
                st.execute("DROP TABLE IF EXISTS " + table);
            }
            return null;
        } catch (SQLException e) {
            return Errors.describe(e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a broken connection may fail; nothing is left to do
            }
        }
    }
}

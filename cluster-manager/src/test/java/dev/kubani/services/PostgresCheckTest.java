package dev.kubani.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.services.CheckResult.Status;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.kubani.testutil.CliRunner;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;

/**
 * {@code verify postgresql} against a real PostgreSQL server (Debian's package) on loopback. The
 * CLI cases read the password from a Secret in fabric8's CRUD mock API server, which stands in
 * for K3s's API server (no real one exists here).
 */
@EnableKubernetesMockClient(crud = true)
class PostgresCheckTest {
    static KubernetesClient client;
    @TempDir
    Path tmp;
    static final String USER = "authentik";
    static final String PASSWORD = "s3cret-Pg-pass";
    static LocalPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.start();
        pg.createUserAndDatabase(USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @AfterEach
    void dropEventTriggers() throws Exception {
        try (Connection c = pg.admin(USER); Statement st = c.createStatement()) {
            st.execute("DROP EVENT TRIGGER IF EXISTS kubani_test_break_insert");
        }
    }

    static PostgresCheck check(String host, int port, String password, Duration timeout) {
        return new PostgresCheck(new PostgresCheck.Settings(host, port, USER, USER, timeout, "the test"), Secret.of(password));
    }

    static List<String> scratchTables() throws Exception {
        try (Connection c = pg.admin(USER); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE tablename LIKE 'kubani_verify_%'")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    static List<Status> statuses(List<CheckResult> r) {
        return r.stream().map(CheckResult::status).toList();
    }

    @Test
    @DisplayName("success: resolves, connects, logs in, writes and reads a scratch table, drops it")
    void success() throws Exception {
        List<CheckResult> r = check("localhost", pg.port, PASSWORD, Duration.ofSeconds(10)).run();
        assertThat(statuses(r)).as(r.toString()).containsExactly(Status.OK, Status.OK, Status.OK, Status.OK);
        assertThat(r).extracting(CheckResult::check)
                .containsExactly("postgresql dns", "postgresql tcp", "postgresql auth", "postgresql read-write");
        assertThat(r.get(0).detail()).contains("127.0.0.1");
        assertThat(r.get(3).detail()).startsWith("created, wrote, read back and dropped kubani_verify_");
        assertThat(scratchTables()).isEmpty();
    }

    @Test
    @DisplayName("wrong password: auth fails with a fix, the password never appears, later steps skipped")
    void wrongPassword() throws Exception {
        List<CheckResult> r = check("127.0.0.1", pg.port, "not-the-password", Duration.ofSeconds(10)).run();
        assertThat(statuses(r)).containsExactly(Status.OK, Status.OK, Status.FAIL, Status.SKIPPED);
        assertThat(r.get(2).detail()).isEqualTo("password authentication failed for user authentik");
        assertThat(r.get(2).fix()).contains("does not match");
        assertThat(r.toString()).doesNotContain("not-the-password").doesNotContain(PASSWORD);
        assertThat(scratchTables()).isEmpty();
    }

    @Test
    @DisplayName("closed port: TCP connect refused, nothing after it runs")
    void closedPort() throws Exception {
        List<CheckResult> r = check("127.0.0.1", LocalServers.freePort(), PASSWORD, Duration.ofSeconds(5)).run();
        assertThat(statuses(r)).containsExactly(Status.OK, Status.FAIL, Status.SKIPPED, Status.SKIPPED);
        assertThat(r.get(1).detail()).contains("connection refused");
        assertThat(r.get(1).fix()).contains("Traefik");
    }

    @Test
    @DisplayName("unresolvable name: the DNS step fails and says how to create the record")
    void unresolvable() {
        List<CheckResult> r = check("postgres.kubani-test.invalid", 5432, PASSWORD, Duration.ofSeconds(5)).run();
        assertThat(statuses(r)).containsExactly(Status.FAIL, Status.SKIPPED, Status.SKIPPED, Status.SKIPPED);
        assertThat(r.get(0).detail()).isEqualTo("postgres.kubani-test.invalid does not resolve");
        assertThat(r.get(0).fix()).contains("cluster-mgr dns apply");
    }

    @Test
    @DisplayName("failure halfway: INSERT fails after CREATE TABLE, and the scratch table is still dropped")
    void failureHalfwayCleansUp() throws Exception {
        // A real server-side failure: an event trigger (superuser) puts a trigger that raises on
        // INSERT on every new kubani_verify_* table, so CREATE succeeds and INSERT fails.
        try (Connection c = pg.admin(USER); Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE FUNCTION kubani_test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN RAISE EXCEPTION 'disk on fire (test)'; END $$");
            st.execute("CREATE OR REPLACE FUNCTION kubani_test_arm() RETURNS event_trigger LANGUAGE plpgsql AS $$ "
                    + "DECLARE o record; BEGIN FOR o IN SELECT * FROM pg_event_trigger_ddl_commands() "
                    + "WHERE command_tag = 'CREATE TABLE' AND object_identity LIKE '%kubani_verify_%' LOOP "
                    + "EXECUTE format('CREATE TRIGGER refuse BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION kubani_test_refuse()', "
                    + "o.object_identity); END LOOP; END $$");
            st.execute("CREATE EVENT TRIGGER kubani_test_break_insert ON ddl_command_end WHEN TAG IN ('CREATE TABLE') "
                    + "EXECUTE FUNCTION kubani_test_arm()");
        }
        List<CheckResult> r = check("127.0.0.1", pg.port, PASSWORD, Duration.ofSeconds(10)).run();
        assertThat(statuses(r)).containsExactly(Status.OK, Status.OK, Status.OK, Status.FAIL);
        assertThat(r.get(3).detail()).startsWith("INSERT failed:").contains("disk on fire");
        assertThat(scratchTables()).as("scratch table left behind").isEmpty();
    }

    @Test
    @DisplayName("a server that accepts but never answers: the login step gives up after --timeout")
    void boundedTimeout() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            long t0 = System.nanoTime();
            List<CheckResult> r = check("127.0.0.1", silent.port(), PASSWORD, Duration.ofSeconds(1)).run();
            long secs = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
            assertThat(statuses(r)).containsExactly(Status.OK, Status.OK, Status.FAIL, Status.SKIPPED);
            assertThat(secs).as("bounded by the 1s timeout, not hanging").isLessThan(8);
        }
    }

    @Test
    @DisplayName("CLI: password from Secret database/postgresql-credentials, JSON rows, exit 0, password never printed")
    void cliWithClusterSecret() throws Exception {
        client.secrets().inNamespace("database").resource(new SecretBuilder().withNewMetadata().withName("postgresql-credentials")
                .withNamespace("database").endMetadata()
                .addToData("password", java.util.Base64.getEncoder().encodeToString(PASSWORD.getBytes()))
                .addToData("postgres-password", java.util.Base64.getEncoder().encodeToString("other".getBytes())).build())
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        Path kc = ClusterFixtures.kubeconfig(client, tmp);
        CliRunner.Result r = new CliRunner(tmp).env("KUBECONFIG", kc.toString())
                .run("-o", "json", "verify", "postgresql", "--postgres-host", "localhost:" + pg.port, "--timeout", "10");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("\"check\" : \"postgresql read-write\"").contains("\"failed\" : 0");
        assertThat(r.out() + r.err()).doesNotContain(PASSWORD);
        assertThat(scratchTables()).isEmpty();
    }

    @Test
    @DisplayName("CLI: wrong $PGPASSWORD is a FAIL row with its fix, exit 1; a missing Secret says how to pass one")
    void cliFailures() throws Exception {
        CliRunner.Result r = new CliRunner(tmp).env("PGPASSWORD", "nope-nope")
                .run("verify", "postgresql", "--postgres-host", "127.0.0.1:" + pg.port);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).containsPattern("postgresql auth\\s+authentik@127\\.0\\.0\\.1:\\d+/authentik\\s+FAIL")
                .contains("How to fix:").contains("$PGPASSWORD does not match")
                .contains("4 checks: 2 ok, 0 warnings, 1 failed");
        assertThat(r.out() + r.err()).doesNotContain("nope-nope");

        Path kc = ClusterFixtures.kubeconfig(client, tmp);
        CliRunner.Result noSecret = new CliRunner(tmp).env("KUBECONFIG", kc.toString())
                .run("verify", "redis", "--redis-host", "127.0.0.1:" + LocalServers.freePort());
        assertThat(noSecret.code()).isEqualTo(1);
        assertThat(noSecret.out()).contains("connection refused");
    }
}

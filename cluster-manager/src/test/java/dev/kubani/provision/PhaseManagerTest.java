package dev.kubani.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubani.cli.Term;
import dev.kubani.core.KubaniException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The phase manager with fake phases (k0sctl's manager is tested the same way). */
class PhaseManagerTest {
    final List<String> log = new ArrayList<>();
    final StringWriter out = new StringWriter();

    PhaseContext ctx(boolean dry, Cancellation c) {
        PrintWriter w = new PrintWriter(out, true);
        return new PhaseContext(new Console(new Term(w, w, false, false), Console.Mode.PLAIN, w, 0, 100), dry, c);
    }

    class Fake implements Phase {
        final String name;
        final boolean runs;
        final RuntimeException fails;

        Fake(String name, boolean runs, RuntimeException fails) {
            this.name = name;
            this.runs = runs;
            this.fails = fails;
        }

        @Override
        public String title() {
            return name;
        }

        @Override
        public boolean shouldRun(PhaseContext c) {
            return runs;
        }

        @Override
        public void run(PhaseContext c) throws Exception {
            log.add("run " + name);
            c.wet("host-" + name, "change " + name, () -> log.add("changed " + name));
            if (fails != null) {
                throw fails;
            }
        }

        @Override
        public void cleanUp(PhaseContext c) {
            log.add("clean " + name);
        }
    }

    @Test
    void runsInOrderPrintsTitlesAndSkips() throws Exception {
        PhaseContext c = ctx(false, new Cancellation());
        new PhaseManager().add(new Fake("a", true, null)).add(new Fake("b", false, null)).add(new Fake("c", true, null))
                .addFinally(new Fake("summary", true, null)).run(c);
        assertThat(log).containsExactly("run a", "changed a", "run c", "changed c", "run summary", "changed summary");
        assertThat(out.toString()).contains("==> a\n").contains("==> c\n").doesNotContain("==> b");
        assertThat(c.changes()).extracting(PhaseContext.Change::done).containsOnly(true);
    }

    @Test
    void failureCleansUpRanPhasesNewestFirstAndStillRunsFinally() {
        PhaseContext c = ctx(false, new Cancellation());
        PhaseManager m = new PhaseManager().add(new Fake("a", true, null)).add(new Fake("skip", false, null))
                .add(new Fake("b", true, KubaniException.failed("b broke"))).add(new Fake("never", true, null))
                .addFinally(new Fake("summary", true, null));
        assertThatThrownBy(() -> m.run(c)).hasMessage("b broke");
        assertThat(log).containsExactly("run a", "changed a", "run b", "changed b", "clean b", "clean a",
                "run summary", "changed summary");
    }

    @Test
    void dryRunReportsChangesThroughTheWetDoorWithoutMakingThem() throws Exception {
        PhaseContext c = ctx(true, new Cancellation());
        new PhaseManager().add(new Fake("a", true, null)).run(c);
        assertThat(log).containsExactly("run a");
        assertThat(out.toString()).contains("would change a on host-a");
        assertThat(c.changes()).containsExactly(new PhaseContext.Change("host-a", "change a", false));
    }

    @Test
    void cancellationStopsBeforeTheNextPhaseAndCleansUp() {
        Cancellation cancel = new Cancellation();
        PhaseContext c = ctx(false, cancel);
        Phase stopper = new Fake("a", true, null) {
            @Override
            public void run(PhaseContext x) throws Exception {
                super.run(x);
                cancel.request();
            }
        };
        PhaseManager m = new PhaseManager().add(stopper).add(new Fake("b", true, null));
        assertThatThrownBy(() -> m.run(c)).isInstanceOf(Cancelled.class)
                .satisfies(e -> assertThat(((Cancelled) e).exitCode()).isEqualTo(130));
        assertThat(log).containsExactly("run a", "changed a", "clean a");
        assertThat(cancel.request()).isEqualTo(2);
        assertThat(cancel.request()).isEqualTo(2);
    }
}

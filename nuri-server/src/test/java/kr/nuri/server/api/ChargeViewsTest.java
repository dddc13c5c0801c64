package kr.nuri.server.api;

import kr.nuri.server.usage.Charges;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import kr.nuri.core.RandomCommands;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.event.Event;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.server.usage.UsageLedger;
import org.junit.jupiter.api.Test;

/**
 * The four views of GPU-hours agree to the GPU-second on random runs, running jobs included: a job's
 * {@code gpuHours}, a tenant's {@code chargedGpuHours} (its subtree), an award's {@code usedGpuHours}, and
 * {@code /usage} (the ledger) by project and by award. Found by trying the product: an award showed used 0 while
 * a job ran on it, and for one project {@code /usage} said 317.5 GPU-hours and {@code /tenants} 8.4.
 */
class ChargeViewsTest {

    @Test
    void jobsTenantsAwardsAndUsageAgree() {
        int runningSeen = 0;
        int[] onAwards = {0};
        for (long seed = 1; seed <= 8; seed++) {
            RandomCommands stream = new RandomCommands(seed, (int) (seed % 4));
            Engine engine = new Engine(stream.config().withAssertions(AssertionLevel.OFF));
            UsageLedger ledger = new UsageLedger();
            for (int n = 0; n < 2_500; n++) {
                for (Event e : engine.apply(stream.next(engine)).events()) ledger.observe(e, engine);
                if (n % 50 == 49) runningSeen += compare(seed, engine, ledger, engine.state().now() + n % 37, onAwards);
            }
        }
        assertThat(runningSeen).as("running jobs at the moments compared").isGreaterThan(50);
        assertThat(onAwards[0]).as("running jobs charging an award at the moments compared").isGreaterThan(10);
    }

    /** Compares the views at {@code now} (mid-run: running jobs have run on since the last event); returns how many ran. */
    private static int compare(long seed, Engine engine, UsageLedger ledger, long now, int[] onAwards) {
        var s = engine.state();
        int running = 0;
        long[] byProject = new long[s.tenants().size()];
        long[] byAward = new long[s.awards().size()];
        ledger.forEach(0, Long.MAX_VALUE, now, (project, award, model, gpuSeconds) -> {
            byProject[project] += gpuSeconds;
            if (award >= 0) byAward[award] += gpuSeconds;
        });
        long[] fromJobs = new long[s.tenants().size()];
        Charges charges = Charges.at(s, now);
        for (Job j : s.jobs()) {
            Views.JobView v = Views.job(j, engine, now);
            assertThat(v.gpuHours() * 3600).as("job " + j.id()).isCloseTo((double) Charges.ofJob(j, now), within(1e-6));
            for (int t = j.project(); t >= 0; t = s.tenants().parent(t)) fromJobs[t] += Charges.ofJob(j, now);
            if (j.state() == JobState.RUNNING) running++;
            if (j.state() == JobState.RUNNING && j.award() >= 0 && Charges.running(j, now) > 0) onAwards[0]++;
        }
        for (int t = 0; t < s.tenants().size(); t++) {
            long usage = 0;
            for (int p = 0; p < byProject.length; p++) if (s.tenants().isWithin(p, t)) usage += byProject[p];
            String who = "seed " + seed + " tenant " + s.tenants().name(t);
            assertThat(Views.tenant(s, t, charges).chargedGpuHours() * 3600).as(who + ": /tenants").isCloseTo((double) usage, within(1e-6));
            assertThat(fromJobs[t]).as(who + ": its jobs").isEqualTo(usage);
        }
        for (int a = 0; a < s.awards().size(); a++) {
            assertThat(Views.award(s, a, now, charges).usedGpuHours() * 3600).as("seed " + seed + " award " + s.awards().get(a).id())
                    .isCloseTo((double) byAward[a], within(1e-6));
        }
        return running;
    }
}

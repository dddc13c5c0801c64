package kr.nuri.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import kr.nuri.core.RandomCommands;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.event.Event;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import org.junit.jupiter.api.Test;

/**
 * The usage ledger ({@code /usage}) against the engine's own charges, on random streams with GPU shares, CPU-only
 * jobs, walltime ends and preemptions: per project and per model, the GPU-seconds of finished runs plus those of
 * running jobs up to now agree to the GPU-second (a share counts as the one GPU it sits on, as everywhere else).
 */
class UsageLedgerTest {

    @Test
    void theLedgerChargesWhatTheEngineCharges() {
        for (long seed = 1; seed <= 8; seed++) {
            RandomCommands stream = new RandomCommands(seed, (int) (seed % 4));
            Engine engine = new Engine(stream.config().withAssertions(AssertionLevel.OFF));
            UsageLedger ledger = new UsageLedger();
            for (int n = 0; n < 3_000; n++) {
                for (Event e : engine.apply(stream.next(engine)).events()) ledger.observe(e, engine);
            }
            var state = engine.state();
            long now = state.now();
            long[] byProject = new long[state.tenants().size()];
            long[] byModel = new long[state.fleet().poolCount()];
            ledger.forEach(0, Long.MAX_VALUE, now, (project, award, model, gpuSeconds) -> {
                byProject[project] += gpuSeconds;
                byModel[model] += gpuSeconds;
            });
            long[] expectProject = new long[byProject.length];
            long[] expectModel = new long[byModel.length];
            for (Job j : state.jobs()) {
                expectProject[j.project()] += j.gpuSeconds();
                if (j.state() == JobState.RUNNING) {
                    long running = (long) j.totalGpus() * (Math.min(now, j.deadline()) - j.startTime());
                    expectProject[j.project()] += running;
                    expectModel[j.pool()] += running;
                }
            }
            for (int m = 0; m < byModel.length; m++) expectModel[m] += state.chargedGpuSecondsOfModel(m);
            String where = "seed " + seed + ", fleet " + state.fleet().name();
            assertThat(byProject).as("GPU-seconds per project, " + where).containsExactly(expectProject);
            assertThat(byModel).as("GPU-seconds per model, " + where).containsExactly(expectModel);
        }
    }
}

package kr.nuri.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import kr.nuri.core.World;
import kr.nuri.core.command.Command;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 6: an estimate moves only when what it depends on moves, and says why; running jobs' ends are
 * predicted from how much of their walltime their project's jobs ran ({@link RuntimeRatios}).
 */
class EstimateMoveTest {
    private static final long HOUR = 3600;

    /** i1 holds every H100 (32 nodes × 8); job f-k runs until (k + 1) × 3 h. Waiting: w1..w3, 8 GPUs each. */
    private static World filled() {
        World w = World.small();
        w.apply(new Command.SetQuota(0, "i1", "H100", 256, -1, -1));
        for (int k = 0; k < 32; k++) {
            assertThat(w.submit(JobSpec.builder("f-" + k, "i1").gpus(8).models("H100").walltime((k + 1) * 3 * HOUR).build()).accepted()).isTrue();
        }
        for (int k = 1; k <= 3; k++) w.submit(JobSpec.builder("w" + k, "i1").gpus(8).models("H100").walltime(HOUR).build());
        w.tick();
        return w;
    }

    @Test
    void aHigherClassArrivalAheadMovesAnEstimateLaterAndSaysSo() {
        World w = filled();
        long before = w.verdict("w3").estimatedStart();
        assertThat(before).as("after w1 (reserved at 3 h) and w2 (6 h): 9 h").isEqualTo(9 * HOUR);
        assertThat(w.engine.verdicts().move(w.job("w3"))).as("a first estimate has not moved").isNull();
        w.at(60).submit(JobSpec.builder("urgent", "i1").gang(2, 8).models("H100").priorityClass("inference").walltime(HOUR).build());
        w.tick();
        long after = w.verdict("w3").estimatedStart();
        assertThat(after).isGreaterThan(before);
        Verdicts.Move m = w.engine.verdicts().move(w.job("w3"));
        assertThat(m).isNotNull();
        assertThat(m.from()).isEqualTo(before);
        assertThat(m.to()).isEqualTo(after);
        assertThat(m.at()).isEqualTo(60);
        assertThat(m.cause()).isEqualTo(Verdicts.MoveCause.MORE_AHEAD);
    }

    @Test
    void aRunningJobCutShortMovesEstimatesEarlierForTheReleasesNotTheWorkAhead() {
        World w = filled();
        long before = w.verdict("w3").estimatedStart();
        // f-1 (until 6 h) and f-2 (until 9 h) will end within the hour: the GPUs w2 and w3 wait for free sooner.
        w.at(60).apply(new Command.SetWalltime(60, "f-1", 2 * HOUR));
        w.apply(new Command.SetWalltime(60, "f-2", 2 * HOUR + 60));
        w.tick();
        long after = w.verdict("w3").estimatedStart();
        assertThat(after).isLessThan(before);
        Verdicts.Move m = w.engine.verdicts().move(w.job("w3"));
        assertThat(m.cause()).as(m.toString()).isEqualTo(Verdicts.MoveCause.RELEASES_EARLIER);
        assertThat(m.cause().text()).contains("sooner");
    }

    @Test
    void anEstimateWithinItsToleranceHoldsStill() {
        World w = filled();
        long before = w.verdict("w3").estimatedStart();
        w.at(60).tick();
        w.at(120).tick();
        assertThat(w.verdict("w3").estimatedStart()).isEqualTo(before);
        assertThat(w.engine.verdicts().move(w.job("w3"))).isNull();
        assertThat(w.job("w3").state()).isEqualTo(JobState.PENDING);
    }

    @Test
    void runsThatEndOnTheirOwnTeachHowMuchOfTheWalltimeAProjectUses() {
        RuntimeRatios r = new RuntimeRatios();
        assertThat(r.ratio(3)).as("nothing seen: the walltime").isEqualTo(1.0);
        for (int i = 0; i < 19; i++) r.observe(3, 1800, 3600);
        assertThat(r.ratio(3)).as("19 runs: the fleet's mean, itself from 19 runs: still the walltime").isEqualTo(1.0);
        r.observe(3, 1800, 3600);
        assertThat(r.ratio(3)).isEqualTo(0.5);
        assertThat(r.ratio(4)).as("another project with no runs: the fleet's mean").isEqualTo(0.5);
        assertThat(r.expectedEnd(3, 1000, 1000 + 7200, 2000)).isEqualTo(1000 + 3600);
        assertThat(r.expectedEnd(3, 1000, 1000 + 7200, 5000)).as("past its expected end: its deadline").isEqualTo(1000 + 7200);
        r.observe(3, 99_999, 3600);
        assertThat(r.ratio(3)).as("a run never counts as more than its walltime").isCloseTo(0.51, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void onlyRunsThatEndedOnTheirOwnAreCounted() {
        World w = World.small();
        w.apply(new Command.SetQuota(0, "i1", "H100", 256, -1, -1));
        for (int k = 0; k < 25; k++) w.submit(JobSpec.builder("c-" + k, "i1").gpus(8).models("H100").walltime(4 * HOUR).build());
        w.at(HOUR);
        for (int k = 0; k < 25; k++) w.apply(new Command.CancelJob(HOUR, "c-" + k));
        assertThat(w.job("c-0").lastOutcome()).isEqualTo(Outcome.CANCELLED);
        // Cancelled runs say nothing of how long a job runs: estimates still count the walltime.
        for (int k = 0; k < 32; k++) w.submit(JobSpec.builder("f-" + k, "i1").gpus(8).models("H100").walltime(4 * HOUR).build());
        w.submit(JobSpec.builder("next", "i1").gang(2, 8).models("H100").walltime(HOUR).build());
        w.submit(JobSpec.builder("after", "i1").gang(2, 8).models("H100").walltime(HOUR).build());
        w.tick();
        assertThat(w.verdict("after").estimatedStart()).isEqualTo(5 * HOUR);
    }
}

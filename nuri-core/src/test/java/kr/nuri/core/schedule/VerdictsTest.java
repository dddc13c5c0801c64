package kr.nuri.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.PendingReason;
import org.junit.jupiter.api.Test;

/** Estimates hold still while a new one stays near the old, and move when it drifts far or has passed. */
class VerdictsTest {
    private static Job job(long seq) {
        return new Job(JobSpec.builder("j" + seq, "p").gpus(8).build(), seq, 0, 0, -1, 0, 100, 3600, false, new int[] {0});
    }

    @Test
    void anEstimateHoldsWithinItsToleranceAndMovesBeyondIt() {
        Verdicts v = new Verdicts();
        Job j = job(7);
        long now = 1_000;
        v.set(j, PendingReason.INSUFFICIENT_CAPACITY, "", -1);
        v.settle(j, -1, now + 10 * 3600, now, null);
        assertThat(v.estimatedStart(j)).as("the first estimate is taken as it is").isEqualTo(now + 10 * 3600);
        // 10 h out: a quarter of the wait (2.5 h) is the tolerance.
        v.settle(j, now + 10 * 3600, now + 12 * 3600, now, null);
        assertThat(v.estimatedStart(j)).as("2 h later: held").isEqualTo(now + 10 * 3600);
        v.settle(j, now + 10 * 3600, now + 13 * 3600, now, null);
        assertThat(v.estimatedStart(j)).as("3 h later: moved").isEqualTo(now + 13 * 3600);
        // Close to the start, at least 30 minutes.
        v.settle(j, now + 600, now + 600 + 1700, now, null);
        assertThat(v.estimatedStart(j)).isEqualTo(now + 600);
        // An estimate that has passed always moves.
        v.settle(j, now - 1, now + 60, now, null);
        assertThat(v.estimatedStart(j)).isEqualTo(now + 60);
        // No estimate now: none is shown.
        v.settle(j, now + 600, -1, now, null);
        assertThat(v.estimatedStart(j)).isEqualTo(-1);
    }

    @Test
    void aStartAttemptKeepsTheEstimateWhileTheReasonStays() {
        Verdicts v = new Verdicts();
        Job j = job(3);
        v.set(j, PendingReason.INSUFFICIENT_CAPACITY, "", 5_000);
        v.refuse(j, PendingReason.INSUFFICIENT_CAPACITY, () -> "still no GPUs");
        assertThat(v.estimatedStart(j)).as("an event's pass computes no estimate: the last one stays").isEqualTo(5_000);
        assertThat(v.detail(j)).isEqualTo("still no GPUs");
        v.refuse(j, PendingReason.QUOTA_EXCEEDED, () -> "quota");
        assertThat(v.estimatedStart(j)).as("another reason: the estimate was for something else").isEqualTo(-1);
    }
}

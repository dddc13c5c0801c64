package kr.nuri.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import kr.nuri.core.job.Job;
import kr.nuri.core.state.RunningIndex;
import org.junit.jupiter.api.Test;

/**
 * The walk over victims that jumps over each priority class's exempt jobs gives exactly the filtered set, and reports the
 * earliest start it jumped over in each class.
 */
class PreemptorOrderTest {
    @Test
    void jumpingOverRecentStartsGivesTheSameJobsInTheSameOrderAsFiltering() {
        long seed = Long.getLong("nuri.test.seed", 20261123L);
        Random rnd = new Random(seed);
        for (int round = 0; round < 2_000; round++) {
            TreeSet<Job> set = new TreeSet<>(RunningIndex.BY_VICTIM_COST);
            int jobs = rnd.nextInt(60);
            int classes = 1 + rnd.nextInt(4);
            for (int i = 0; i < jobs; i++) {
                set.add(Job.orderKey(10 * rnd.nextInt(classes), rnd.nextInt(50), i));
            }
            long lastStart = rnd.nextInt(52) - 1;
            List<Job> expected = new ArrayList<>();
            for (Job j : set) {
                if (j.startTime() <= lastStart) expected.add(j);
            }
            // Per class with jobs started after lastStart, the earliest such start: when the next of them comes out.
            java.util.Map<Integer, Long> earliestJumped = new java.util.TreeMap<>();
            for (Job j : set) {
                if (j.startTime() > lastStart) earliestJumped.merge(j.priority(), j.startTime(), Math::min);
            }
            List<Job> walked = new ArrayList<>();
            List<Long> jumped = new ArrayList<>();
            VictimOrder.startedBy(set, lastStart, jumped::add).forEach(walked::add);
            assertThat(walked).as("seed %d round %d, last start %d over %s", seed, round, lastStart, set.size()).containsExactlyElementsOf(expected);
            assertThat(jumped).as("seed %d round %d: earliest jumped start per class", seed, round)
                    .containsExactlyInAnyOrderElementsOf(earliestJumped.values());
        }
    }
}

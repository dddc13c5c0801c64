package kr.nuri.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaxTreeTest {
    @Test
    void visitsExactlyTheLeavesAtOrAboveTheThresholdInOrder() {
        for (long seed = 1; seed <= 50; seed++) {
            Random r = new Random(seed);
            int n = 1 + r.nextInt(300);
            long[] values = new long[n];
            MaxTree tree = new MaxTree(n);
            for (int step = 0; step < 2_000; step++) {
                int i = r.nextInt(n);
                values[i] = r.nextInt(100);
                tree.set(i, values[i]);
                long threshold = r.nextInt(110);
                List<Integer> expected = new ArrayList<>();
                for (int k = 0; k < n; k++) if (values[k] >= threshold) expected.add(k);
                List<Integer> seen = new ArrayList<>();
                tree.forEachAtLeast(threshold, seen::add);
                assertThat(seen).as("seed " + seed + " step " + step).isEqualTo(expected);
            }
        }
    }
}

package kr.nuri.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LowestBitSetTest {
    @Test
    void lowestIsAlwaysTheSmallestMemberWhateverTheOrderOfChanges() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = 1 + r.nextInt(5_000);
            LowestBitSet set = new LowestBitSet(n);
            TreeSet<Integer> model = new TreeSet<>();
            for (int i = 0; i < 20_000; i++) {
                int x = r.nextInt(n);
                if (r.nextInt(3) == 0) {
                    set.add(x);
                    model.add(x);
                } else {
                    set.remove(x);
                    model.remove(x);
                }
                if (r.nextInt(4) == 0) {
                    assertThat(set.isEmpty()).as("seed %d step %d", seed, i).isEqualTo(model.isEmpty());
                    assertThat(set.lowest()).as("seed %d step %d", seed, i).isEqualTo(model.isEmpty() ? -1 : model.first());
                }
            }
        }
    }
}

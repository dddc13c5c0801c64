package kr.nuri.sim.packing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * GoRandom draws what Go's math/rand draws. The expected values were printed by Go 1.19 (Debian's golang-go) running
 * {@code rand.Seed(42); rand.Int(); rand.Intn(1000), Intn(8152), Intn(7), Intn(1<<20); rand.Shuffle(10, …);
 * rand.Perm(12)}, then {@code rand.Seed(-5); rand.Int(), rand.Intn(3)} and {@code rand.Seed(0); rand.Int()}.
 */
class GoRandomTest {
    @Test
    void drawsWhatGoDrawsForTheSameSeed() {
        GoRandom r = new GoRandom(42);
        assertThat(r.int63()).isEqualTo(3440579354231278675L);
        assertThat(new int[] {r.intn(1000), r.intn(8152), r.intn(7), r.intn(1 << 20)}).containsExactly(987, 4996, 1, 776159);
        int[] a = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        r.shuffle(a);
        assertThat(a).containsExactly(6, 4, 1, 0, 5, 8, 2, 9, 7, 3);
        assertThat(r.perm(12)).containsExactly(4, 8, 5, 1, 0, 11, 10, 2, 3, 6, 7, 9);
    }

    @Test
    void negativeAndZeroSeedsAreFoldedAsGoFoldsThem() {
        GoRandom negative = new GoRandom(-5);
        assertThat(negative.int63()).isEqualTo(1811683815564572222L);
        assertThat(negative.intn(3)).isEqualTo(2);
        assertThat(new GoRandom(0).int63()).isEqualTo(8717895732742165505L);
    }
}

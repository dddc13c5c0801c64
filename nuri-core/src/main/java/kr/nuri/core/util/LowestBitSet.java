package kr.nuri.core.util;

import java.util.BitSet;

/**
 * A set of small non-negative ints that answers "the lowest member" in amortised O(1): a {@link BitSet} plus
 * a lower bound on its lowest set bit, raised by each query and lowered by each insert. Used where a choice
 * must depend only on the current members (never on the order they came in), yet is asked very often.
 */
public final class LowestBitSet {
    private final BitSet bits;
    /** No member is below this. */
    private int floor;

    public LowestBitSet(int capacity) {
        this.bits = new BitSet(capacity);
    }

    public void add(int x) {
        bits.set(x);
        if (x < floor) floor = x;
    }

    public void remove(int x) {
        bits.clear(x);
    }

    public boolean isEmpty() {
        return bits.isEmpty();
    }

    /** The lowest member, or -1 when empty. */
    public int lowest() {
        int x = bits.nextSetBit(floor);
        if (x >= 0) floor = x;
        return x;
    }
}

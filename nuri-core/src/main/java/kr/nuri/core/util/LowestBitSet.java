package kr.nuri.core.util;

/**
 * A set of small non-negative ints that answers "the lowest member" in amortised O(1): a fixed array of
 * 64-bit words, a member count, and a lower bound on the lowest member that each query raises and each
 * insert lowers. Used where a choice must depend only on the current members (never on the order they came
 * in), yet is asked, and changed, very often. (java.util.BitSet rescans its words on clears that empty the
 * top word, which the capacity index does all the time.)
 */
public final class LowestBitSet {
    private final long[] words;
    private int size;
    /** No member is below this. */
    private int floor;

    public LowestBitSet(int capacity) {
        this.words = new long[(capacity + 63) >>> 6];
        this.floor = Integer.MAX_VALUE;
    }

    public void add(int x) {
        long bit = 1L << x;
        int w = x >>> 6;
        if ((words[w] & bit) == 0) {
            words[w] |= bit;
            size++;
        }
        if (x < floor) floor = x;
    }

    public void remove(int x) {
        long bit = 1L << x;
        int w = x >>> 6;
        if ((words[w] & bit) != 0) {
            words[w] &= ~bit;
            size--;
        }
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The lowest member, or -1 when empty. */
    public int lowest() {
        if (size == 0) return -1;
        int w = floor >>> 6;
        long word = words[w] & (-1L << floor);
        while (word == 0) word = words[++w];
        floor = (w << 6) + Long.numberOfTrailingZeros(word);
        return floor;
    }
}

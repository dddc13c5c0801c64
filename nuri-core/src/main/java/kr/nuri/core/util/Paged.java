package kr.nuri.core.util;

import java.util.Arrays;

/**
 * Values per non-negative index (a job's submit sequence), in pages allocated as indexes are reached, so a growing
 * index space never copies what it holds: {@link Longs} for longs, {@link Refs} for references.
 */
public final class Paged {
    private static final int BITS = 12;
    private static final int SIZE = 1 << BITS;

    private Paged() { }

    /**
     * A long per non-negative index (a job's submit sequence), in pages allocated as indexes are reached, so a growing
     * index space never copies what it holds. Unset entries read as the default.
     */
    public static final class Longs {
        private final long fill;
        private long[][] pages = new long[16][];

        public Longs(long fill) {
            this.fill = fill;
        }

        public long get(long index) {
            int p = (int) (index >>> BITS);
            if (p >= pages.length || pages[p] == null) return fill;
            return pages[p][(int) (index & (SIZE - 1))];
        }

        public void set(long index, long value) {
            int p = (int) (index >>> BITS);
            if (p >= pages.length) pages = Arrays.copyOf(pages, Math.max(p + 1, pages.length * 2));
            long[] page = pages[p];
            if (page == null) {
                if (value == fill) return;
                page = new long[SIZE];
                if (fill != 0) Arrays.fill(page, fill);
                pages[p] = page;
            }
            page[(int) (index & (SIZE - 1))] = value;
        }
    }

    /** {@link Longs} for references: an object per non-negative index, null where unset. */
    public static final class Refs<T> {
        private Object[][] pages = new Object[16][];

        @SuppressWarnings("unchecked")
        public T get(long index) {
            int p = (int) (index >>> BITS);
            if (p >= pages.length || pages[p] == null) return null;
            return (T) pages[p][(int) (index & (SIZE - 1))];
        }

        public void set(long index, T value) {
            int p = (int) (index >>> BITS);
            if (p >= pages.length) pages = Arrays.copyOf(pages, Math.max(p + 1, pages.length * 2));
            Object[] page = pages[p];
            if (page == null) {
                if (value == null) return;
                page = new Object[SIZE];
                pages[p] = page;
            }
            page[(int) (index & (SIZE - 1))] = value;
        }
    }
}

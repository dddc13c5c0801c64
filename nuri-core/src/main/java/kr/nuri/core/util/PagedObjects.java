package kr.nuri.core.util;

import java.util.Arrays;

/** {@link PagedLongs} for references: an object per non-negative index, null where unset. */
public final class PagedObjects<T> {
    private static final int BITS = 12;
    private static final int SIZE = 1 << BITS;
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

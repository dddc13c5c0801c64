package kr.nuri.core.util;

import java.util.Arrays;

/** A growable list of ints without boxing. */
public final class IntList {
    private int[] items = new int[16];
    private int size;

    public void add(int x) {
        if (size == items.length) items = Arrays.copyOf(items, size * 2);
        items[size++] = x;
    }

    public int get(int i) { return items[i]; }
    public void set(int i, int x) {
        if (i >= size) throw new IndexOutOfBoundsException(i);
        items[i] = x;
    }
    public int size() { return size; }
    public boolean isEmpty() { return size == 0; }
    public void clear() { size = 0; }
}

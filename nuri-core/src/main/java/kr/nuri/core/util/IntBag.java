package kr.nuri.core.util;

import java.util.Arrays;

/**
 * A set of small non-negative ints with O(1) add, remove and pick, for node buckets. Positions are kept in a
 * caller-shared array so one node can be found in whichever bag holds it. Iteration order depends only on
 * the sequence of operations, so it is deterministic.
 */
public final class IntBag {
    private int[] items = new int[8];
    private int size;
    private final int[] position;

    /** @param position shared array: position[x] is x's slot in the bag that holds it */
    public IntBag(int[] position) {
        this.position = position;
    }

    public void add(int x) {
        if (size == items.length) items = Arrays.copyOf(items, size * 2);
        position[x] = size;
        items[size++] = x;
    }

    public void remove(int x) {
        int p = position[x];
        int last = items[--size];
        items[p] = last;
        position[last] = p;
    }

    public int size() { return size; }
    public boolean isEmpty() { return size == 0; }
    /** The most recently added element still present (a stack top keeps recently touched nodes hot). */
    public int peek() { return items[size - 1]; }
    public int get(int i) { return items[i]; }
}

package kr.nuri.core.util;

import java.util.function.IntConsumer;

/**
 * A segment tree over non-negative values with point updates and "visit every leaf with value ≥ t" in
 * O(k log n) for k hits. The capacity index keeps one per (level, GPU model) over free GPUs per domain so
 * that a gang search visits only domains with enough free GPUs instead of scanning thousands of racks.
 */
public final class MaxTree {
    private final int leaves;
    private final int size;
    private final long[] tree;

    public MaxTree(int size) {
        this.size = size;
        int n = 1;
        while (n < Math.max(1, size)) n <<= 1;
        leaves = n;
        tree = new long[2 * n];
    }

    public void set(int i, long value) {
        int p = i + leaves;
        tree[p] = value;
        for (p >>= 1; p > 0; p >>= 1) {
            long m = Math.max(tree[2 * p], tree[2 * p + 1]);
            if (tree[p] == m) break;
            tree[p] = m;
        }
    }

    public long get(int i) { return tree[i + leaves]; }

    public long max() { return tree[1]; }

    /** Calls {@code visit} with each index whose value is at least {@code threshold}, in index order. */
    public void forEachAtLeast(long threshold, IntConsumer visit) {
        if (tree[1] >= threshold) visit(1, threshold, visit);
    }

    private void visit(int node, long threshold, IntConsumer visit) {
        if (node >= leaves) {
            if (node - leaves < size) visit.accept(node - leaves); // padding leaves are not indexes
            return;
        }
        if (tree[2 * node] >= threshold) visit(2 * node, threshold, visit);
        if (tree[2 * node + 1] >= threshold) visit(2 * node + 1, threshold, visit);
    }
}

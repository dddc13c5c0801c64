package kr.nuri.core.tenancy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The quota tree's shape: tenant indexes ordered so that a parent always comes before its children (so a
 * reverse loop is bottom-up), parent links, leaves, and each tenant's normalised fair share.
 */
public final class TenantTree {
    private final String[] names;
    private final int[] parent;
    private final boolean[] leaf;
    private final boolean[] isolated;
    private final double[] share;
    private final int[][] children;
    private final Map<String, Integer> index = new HashMap<>();

    public TenantTree(List<TenantSpec> specs) {
        this(specs, 0);
    }

    /**
     * A tree whose last {@code appended} specs were created at runtime: the others are ordered breadth-first from the
     * root (the fleet file's order), these follow in the order given, each after its parent, so that creating a tenant
     * moves no index.
     */
    public TenantTree(List<TenantSpec> specs, int appended) {
        Map<String, TenantSpec> byName = new HashMap<>();
        String root = null;
        for (TenantSpec s : specs) {
            if (byName.put(s.name(), s) != null) {
                throw new IllegalArgumentException("tenant '" + s.name() + "' is defined twice");
            }
            if (s.parent() == null) {
                if (root != null) {
                    throw new IllegalArgumentException("tenants '" + root + "' and '" + s.name()
                            + "' both have no parent. Maybe give one of them parent: " + root + "?");
                }
                root = s.name();
            }
        }
        if (root == null) throw new IllegalArgumentException("the tenant tree has no root (a tenant without parent)");
        Map<String, List<String>> kids = new HashMap<>();
        for (TenantSpec s : specs) {
            if (s.parent() != null) {
                if (!byName.containsKey(s.parent())) {
                    throw new IllegalArgumentException("tenant '" + s.name() + "' has parent '" + s.parent()
                            + "', which is not a tenant. Maybe a typo?");
                }
                kids.computeIfAbsent(s.parent(), k -> new ArrayList<>()).add(s.name());
            }
        }
        java.util.Set<String> late = new java.util.HashSet<>();
        for (TenantSpec s : specs.subList(specs.size() - appended, specs.size())) late.add(s.name());
        List<String> order = new ArrayList<>();
        order.add(root);
        for (int i = 0; i < order.size(); i++) {
            for (String k : kids.getOrDefault(order.get(i), List.of())) if (!late.contains(k)) order.add(k);
        }
        java.util.Set<String> placed = new java.util.HashSet<>(order);
        for (TenantSpec s : specs.subList(specs.size() - appended, specs.size())) {
            if (placed.contains(s.parent())) {
                order.add(s.name());
                placed.add(s.name());
            }
        }
        if (order.size() != specs.size()) {
            List<String> unreachable = new ArrayList<>();
            for (TenantSpec s : specs) if (!order.contains(s.name())) unreachable.add(s.name());
            throw new IllegalArgumentException("tenants " + unreachable + " form a cycle and do not reach the root '" + root + "'");
        }
        int n = order.size();
        names = order.toArray(String[]::new);
        parent = new int[n];
        leaf = new boolean[n];
        isolated = new boolean[n];
        share = new double[n];
        children = new int[n][];
        for (int i = 0; i < n; i++) index.put(names[i], i);
        for (int i = 0; i < n; i++) {
            TenantSpec s = byName.get(names[i]);
            parent[i] = s.parent() == null ? -1 : index.get(s.parent());
            List<String> k = kids.getOrDefault(names[i], List.of());
            children[i] = k.stream().mapToInt(index::get).toArray();
            leaf[i] = children[i].length == 0;
            isolated[i] = s.isolated();
        }
        share[0] = 1.0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c : children[i]) sum += byName.get(names[c]).weight();
            for (int c : children[i]) share[c] = share[i] * byName.get(names[c]).weight() / sum;
        }
    }

    public int size() { return names.length; }
    public String name(int t) { return names[t]; }
    public int parent(int t) { return parent[t]; }
    public int[] children(int t) { return children[t]; }
    /** Whether the tenant is a project (a leaf): only projects run jobs. */
    public boolean isLeaf(int t) { return leaf[t]; }
    /** Whether the tenant's subtree lends nothing outside itself. */
    public boolean isolated(int t) { return isolated[t]; }
    /** The tenant's share of the whole fleet by fair-share weights along its path, in (0, 1]. */
    public double share(int t) { return share[t]; }

    /** Tenant index by name, or -1. */
    public int index(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /** Whether {@code ancestor} is {@code t} or one of its ancestors. */
    public boolean isWithin(int t, int ancestor) {
        for (int x = t; x >= 0; x = parent[x]) {
            if (x == ancestor) return true;
        }
        return false;
    }
}

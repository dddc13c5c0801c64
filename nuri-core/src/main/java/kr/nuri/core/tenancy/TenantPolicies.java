package kr.nuri.core.tenancy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kr.nuri.core.util.Hashing;

/** Each tenant's own {@link TenantPolicy} and what it comes to with its ancestors'; changed only by replaying events. */
public final class TenantPolicies {
    private final TenantTree tree;
    private final TenantPolicy[] own;
    private final boolean[] retired;

    public TenantPolicies(TenantTree tree, List<TenantSpec> specs) {
        this.tree = tree;
        this.own = new TenantPolicy[tree.size()];
        this.retired = new boolean[tree.size()];
        Arrays.fill(own, TenantPolicy.INHERIT);
        for (TenantSpec s : specs) own[tree.index(s.name())] = s.policy();
    }

    /** The policy tenant {@code t} sets itself. */
    public TenantPolicy own(int t) {
        return own[t];
    }

    /** The policy that applies to tenant {@code t}: its own, the gaps filled from its ancestors'. */
    public TenantPolicy effective(int t) {
        TenantPolicy p = own[t];
        for (int a = tree.parent(t); a >= 0; a = tree.parent(a)) p = p.under(own[a]);
        return p;
    }

    public void set(int t, TenantPolicy p) {
        own[t] = p == null ? TenantPolicy.INHERIT : p;
    }

    /** Whether tenant {@code t} or a tenant above it is retired: no new jobs. */
    public boolean retired(int t) {
        for (int a = t; a >= 0; a = tree.parent(a)) if (retired[a]) return true;
        return false;
    }

    /** The tenant retired itself (not through an ancestor); null when none above it is either. */
    public String retiredBy(int t) {
        for (int a = t; a >= 0; a = tree.parent(a)) if (retired[a]) return tree.name(a);
        return null;
    }

    public void setRetired(int t, boolean r) {
        retired[t] = r;
    }

    /** The tenants retired themselves, by name: for snapshots. */
    public List<String> retiredSnapshot() {
        List<String> out = new ArrayList<>();
        for (int t = 0; t < retired.length; t++) if (retired[t]) out.add(tree.name(t));
        Collections.sort(out);
        return out;
    }

    /** Restores {@link #retiredSnapshot()}; null (a snapshot of a build before retirement) retires none. */
    public void restoreRetired(List<String> names) {
        Arrays.fill(retired, false);
        if (names == null) return;
        for (String n : names) {
            int t = tree.index(n);
            if (t >= 0) retired[t] = true;
        }
    }

    /** The policies tenants set, by tenant name: for snapshots. */
    public Map<String, TenantPolicy> snapshot() {
        Map<String, TenantPolicy> m = new TreeMap<>();
        for (int t = 0; t < own.length; t++) if (!own[t].equals(TenantPolicy.INHERIT)) m.put(tree.name(t), own[t]);
        return m;
    }

    /** Restores what {@link #snapshot()} took; null (a snapshot of a build before policies) keeps the fleet file's. */
    public void restore(Map<String, TenantPolicy> snapshot) {
        if (snapshot == null) return;
        Arrays.fill(own, TenantPolicy.INHERIT);
        for (var e : snapshot.entrySet()) {
            int t = tree.index(e.getKey());
            if (t >= 0) own[t] = e.getValue();
        }
    }

    /** A hash of the policies, independent of tenant order. */
    public long stableHash() {
        long sum = 0;
        for (int t = 0; t < own.length; t++) {
            if (own[t].equals(TenantPolicy.INHERIT)) continue;
            sum += Hashing.mix(Hashing.mix(4, tree.name(t)), own[t].hashCode());
        }
        for (int t = 0; t < retired.length; t++) if (retired[t]) sum += Hashing.mix(5, tree.name(t));
        return sum;
    }
}

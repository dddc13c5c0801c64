package kr.nuri.core.tenancy;

import java.util.ArrayList;
import java.util.List;
import kr.nuri.core.fleet.Fleet;

/**
 * Who may use which pool (an owner's GPUs of one model; see {@link Fleet}), as Kueue's ResourceFlavors with cohorts.
 *
 * <ul>
 *   <li>A tenant <em>owns</em> a pool when the pool's owner is the tenant or one of its ancestors: a project runs on
 *       its organisation's GPUs as its own. A pool whose blocks name no owner belongs to the root (everyone's).</li>
 *   <li>A tenant may <em>claim</em> guaranteed quota on a pool it owns, or on one owned inside its subtree (a
 *       sector's quota on its organisations' GPUs). Elsewhere only a dedicated award gives guaranteed capacity.</li>
 *   <li>A project may <em>run</em> on a pool unless an {@code isolated} tenant at or above the pool's owner does not
 *       contain it: an isolated subtree lends nothing outside itself. On a pool it does not own, it borrows.</li>
 * </ul>
 * How much it may use of a pool is the quota book's arithmetic; this class only says which pools are in reach, so
 * that a job's candidate pools are its own first, then those it may borrow from.
 */
public final class Pools {
    private final Fleet fleet;
    private final TenantTree tree;
    private final int[] owner;
    private final boolean[] ownedByTenant;
    /** Per pool: GPUs of its retired nodes (they left it for good). */
    private final long[] retiredGpus;

    public Pools(Fleet fleet, TenantTree tree) {
        this.fleet = fleet;
        this.tree = tree;
        owner = new int[fleet.poolCount()];
        ownedByTenant = new boolean[owner.length];
        retiredGpus = new long[owner.length];
        for (int p = 0; p < owner.length; p++) {
            int o = tree.index(fleet.ownerOfPool(p));
            owner[p] = o < 0 ? 0 : o;
            ownedByTenant[p] = o >= 0;
        }
    }

    /** A node retired: its GPUs leave its pool (called by the state's replay). */
    public void retired(int node) {
        retiredGpus[fleet.poolOfNode(node)] += fleet.nodeGpus(node);
    }

    /** The GPUs a pool has: its nodes' but the retired ones'. */
    public long gpus(int pool) {
        return fleet.gpusOfPool(pool) - retiredGpus[pool];
    }

    /** The tenant that owns a pool (the root for a pool of blocks without an owner). */
    public int owner(int pool) { return owner[pool]; }

    /** Whether the pool's owner is {@code t} or one of its ancestors: {@code t}'s jobs run there on their own capacity. */
    public boolean owns(int t, int pool) {
        return tree.isWithin(t, owner[pool]);
    }

    /** Whether {@code t} may hold guaranteed quota on the pool: it owns it, or the owner lies inside its subtree. */
    public boolean mayClaim(int t, int pool) {
        return owns(t, pool) || tree.isWithin(owner[pool], t);
    }

    /** Whether a job of project {@code t} may run on the pool: no isolated tenant at or above its owner leaves it out. */
    public boolean mayRun(int t, int pool) {
        for (int x = owner[pool]; x >= 0; x = tree.parent(x)) {
            if (tree.isolated(x) && !tree.isWithin(t, x)) return false;
        }
        return true;
    }

    /** The isolated tenant that keeps {@code t} off the pool, or -1 when it may run there. */
    public int isolatedBy(int t, int pool) {
        int by = -1;
        for (int x = owner[pool]; x >= 0; x = tree.parent(x)) {
            if (tree.isolated(x) && !tree.isWithin(t, x)) by = x;
        }
        return by;
    }

    /**
     * The pools a job of project {@code t} may run on, for GPU models in the order it prefers them: per model, the
     * pools it owns first, then those it may borrow from, each in the fleet's pool order.
     */
    public int[] candidates(int t, int[] models) {
        int[] out = new int[fleet.poolCount()];
        int n = 0;
        for (int m : models) {
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < out.length; p++) {
                    if (fleet.modelOfPool(p) != m || owns(t, p) != (pass == 0) || !mayRun(t, p)) continue;
                    out[n++] = p;
                }
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * The pools a job of {@code project} may run on for the GPU models (or pools) it names, in its order (all models
     * when it names none): per model its own pools first, then those it may borrow from ({@link #candidates(int, int[])}).
     */
    public int[] candidates(int project, java.util.List<String> asked) {
        if (asked.isEmpty()) return candidates(project, java.util.stream.IntStream.range(0, fleet.modelCount()).toArray());
        int[] out = new int[fleet.poolCount()];
        int n = 0;
        for (String name : asked) {
            int m = fleet.modelIndex(name);
            int[] found = m >= 0 ? candidates(project, new int[] {m}) : new int[] {fleet.poolIndex(name)};
            for (int p : found) {
                boolean seen = false;
                for (int i = 0; i < n; i++) seen |= out[i] == p;
                if (p >= 0 && !seen && mayRun(project, p)) out[n++] = p;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * The pool a quota or a dedicated award of tenant {@code t} names: a pool by name ({@code B200@naicc}), or a GPU
     * model, which means the one pool of that model {@code t} may claim (the nearest owner at or above it, else the
     * only one inside its subtree). Throws, naming the choices, when there is none or more than one.
     */
    public int resolve(int t, String name) {
        int p = fleet.poolIndex(name);
        if (p >= 0) return p;
        int m = fleet.modelIndex(name);
        if (m < 0) {
            throw new IllegalArgumentException("fleet '" + fleet.name() + "' has no GPU model or pool '" + name + "'. Maybe one of "
                    + fleet.models() + " or " + fleet.pools() + "?");
        }
        int best = -1;
        int bestDepth = Integer.MAX_VALUE;
        for (int q = 0; q < owner.length; q++) {
            if (fleet.modelOfPool(q) != m || !owns(t, q)) continue;
            int depth = depth(t) - depth(owner[q]);
            if (depth < bestDepth) {
                best = q;
                bestDepth = depth;
            }
        }
        if (best >= 0) return best;
        List<String> inside = new ArrayList<>();
        for (int q = 0; q < owner.length; q++) {
            if (fleet.modelOfPool(q) == m && tree.isWithin(owner[q], t)) inside.add(fleet.poolName(q));
        }
        if (inside.size() == 1) return fleet.poolIndex(inside.get(0));
        List<String> ofModel = new ArrayList<>();
        for (int q = 0; q < owner.length; q++) if (fleet.modelOfPool(q) == m) ofModel.add(fleet.poolName(q));
        if (inside.isEmpty()) {
            throw new IllegalArgumentException("tenant '" + tree.name(t) + "' owns no " + fleet.models().get(m)
                    + " GPUs, and none are owned inside it: its " + fleet.models().get(m) + " pools are " + ofModel
                    + ", each owned elsewhere. Guaranteed quota is a claim on GPUs the tenant's line owns; elsewhere only a"
                    + " dedicated award grants it");
        }
        throw new IllegalArgumentException("tenant '" + tree.name(t) + "' holds several " + fleet.models().get(m)
                + " pools inside it: " + inside + ". Maybe name one of them?");
    }

    /**
     * The refusal when a pool would guarantee more than it has: {@code byQuota} GPUs by tenants' nominal quotas and
     * {@code byAwards} by dedicated awards at their peak; null when they fit.
     */
    public String overCommitted(int pool, long byQuota, long byAwards) {
        long capacity = gpus(pool);
        if (byQuota + byAwards <= bound(pool)) return null;
        return "pool " + fleet.poolName(pool) + " has " + capacity + " GPUs" + (ownedByTenant[pool] ? "" : " (" + bound(pool) + " as shares)")
                + ", and this would guarantee " + (byQuota + byAwards) + " ("
                + byQuota + " by quotas, " + byAwards + " by dedicated awards): short by " + (byQuota + byAwards - capacity)
                + ". Guaranteed quota never exceeds what the pool owns; lower a quota on it first";
    }

    /**
     * The most a pool may guarantee: its GPUs when a tenant owns it. A pool no tenant owns (a fleet without owners) keeps
     * the bound quotas had before pools: quota counts a share of a GPU as one GPU, so it may guarantee one job per
     * thousandth of every GPU.
     */
    public long bound(int pool) {
        return ownedByTenant[pool] ? gpus(pool) : gpus(pool) * kr.nuri.core.job.JobSpec.WHOLE_GPU;
    }

    /** GPUs of a pool guaranteed by nominal quota, with tenant {@code t}'s nominal taken as {@code nominal} ({@code t} −1: as they are). */
    public static long byQuota(QuotaBook book, int pool, int t, int nominal) {
        long sum = 0;
        for (int x = 0; x < book.tree().size(); x++) sum += x == t ? nominal : book.nominal(x, pool);
        return sum;
    }

    /**
     * The most GPUs the dedicated awards on a pool guarantee at once inside [{@code from}, {@code to}), leaving out award
     * {@code except} (null: none).
     */
    public long dedicatedPeak(java.util.List<kr.nuri.core.award.AwardSpec> awards, int pool, long from, long to, String except) {
        long peak = 0;
        for (var at : awards) {
            long t = Math.max(from, at.from());
            if (t >= to) continue;
            long sum = 0;
            for (var a : awards) {
                if (a.kind() != kr.nuri.core.award.AwardSpec.Kind.DEDICATED || a.id().equals(except)) continue;
                int ti = tree.index(a.tenant());
                if (ti < 0 || find(ti, a.model()) != pool) continue;
                if (a.from() <= t && t < a.to()) sum += a.gpus();
            }
            peak = Math.max(peak, sum);
        }
        return peak;
    }

    /** {@link #resolve}, or -1 where it names no pool, or several. */
    public int find(int t, String name) {
        try {
            return resolve(t, name);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * The refusal when pool {@code pool}, without {@code gpus} of its GPUs (a node retired, a block given away), would
     * guarantee more than it keeps (its quotas, and its dedicated awards from {@code now} on); null when it can spare them.
     */
    public String shortWithout(int pool, long gpus, QuotaBook book, java.util.List<kr.nuri.core.award.AwardSpec> awards, long now, String what) {
        if (!ownedByTenant[pool]) return null;
        long left = gpus(pool) - gpus;
        long guaranteed = byQuota(book, pool, -1, 0) + dedicatedPeak(awards, pool, now, Long.MAX_VALUE, null);
        return guaranteed <= left ? null : "pool " + fleet.poolName(pool) + " guarantees " + guaranteed + " GPUs and would have " + left + " without "
                + what + ": short by " + (guaranteed - left) + ". Lower a quota on it first";
    }

    private int depth(int t) {
        int d = 0;
        for (int x = t; x >= 0; x = tree.parent(x)) d++;
        return d;
    }
}

package kr.nuri.core.tenancy;

/**
 * Quota and usage per tenant and GPU model, with borrowing and lending between siblings.
 *
 * <p>The arithmetic is Kueue's hierarchical cohorts (sigs.k8s.io/kueue, {@code pkg/cache/resource_node.go}):
 * a tenant's <em>subtree quota</em> is its nominal plus what its children lend upward; its
 * <em>guaranteed</em> part is what it does not lend (subtree quota − lending limit); usage that exceeds
 * the guaranteed part is charged to the parent's pool; what a tenant may still use is its unused guaranteed
 * quota plus what the parent's pool has left, capped by its borrowing limit. Dedicated-capacity awards add
 * to a tenant's nominal while they are active ({@link #setExtra}). An {@code isolated} tenant lends nothing to its
 * parent. The second index is a pool (an owner's GPUs of one model, {@link Pools}): quota is a claim on a pool.
 */
public final class QuotaBook {
    private final TenantTree tree;
    private final int models;
    private final int[] nominal;
    private final int[] extra;
    private final int[] borrowLimit;
    private final int[] lendLimit;
    private final long[] subtreeQuota;
    private final long[] guaranteed;
    private final long[] usage;
    private final long[] own;
    /** Of {@link #own}: GPUs of the project's running jobs that started borrowing (reclaimable, by lenders and by the project's own guaranteed work). */
    private final long[] ownBorrowed;
    /**
     * Memo of {@link #available}: valid while the model's {@code version} is unchanged (a usage change of the model
     * bumps it; a quota change bumps every model's).
     */
    private final long[] availableAt;
    private final long[] availableValue;
    private final long[] version;

    public QuotaBook(TenantTree tree, int models) {
        this.tree = tree;
        this.models = models;
        int n = tree.size() * models;
        nominal = new int[n];
        extra = new int[n];
        borrowLimit = new int[n];
        lendLimit = new int[n];
        java.util.Arrays.fill(borrowLimit, QuotaSpec.UNLIMITED);
        java.util.Arrays.fill(lendLimit, QuotaSpec.UNLIMITED);
        subtreeQuota = new long[n];
        guaranteed = new long[n];
        usage = new long[n];
        own = new long[n];
        ownBorrowed = new long[n];
        availableAt = new long[n];
        availableValue = new long[n];
        version = new long[models];
        java.util.Arrays.fill(version, 1);
    }

    private void bumpAll() {
        for (int m = 0; m < models; m++) version[m]++;
    }

    /** Changes whenever a quota or a usage of the model changes: a key for caches, not state. */
    public long version(int m) { return version[m]; }

    private int i(int t, int m) {
        return t * models + m;
    }

    public void set(int t, int m, int nominal, int borrowingLimit, int lendingLimit) {
        bumpAll();
        this.nominal[i(t, m)] = nominal;
        this.borrowLimit[i(t, m)] = borrowingLimit;
        this.lendLimit[i(t, m)] = lendingLimit;
    }

    /** Sets the GPUs that active dedicated awards add to a tenant's nominal quota. */
    public void setExtra(int t, int m, int gpus) {
        bumpAll();
        extra[i(t, m)] = gpus;
    }

    /** Nominal quotas, borrowing and lending limits, each row-major by tenant × pool (copies, for snapshots). */
    public int[][] settings() {
        return new int[][] {nominal.clone(), borrowLimit.clone(), lendLimit.clone()};
    }

    /** What {@link #settings} gave; call {@link #recompute} after. */
    public void restoreSettings(int[] nominal, int[] borrowingLimit, int[] lendingLimit) {
        bumpAll();
        System.arraycopy(nominal, 0, this.nominal, 0, this.nominal.length);
        System.arraycopy(borrowingLimit, 0, borrowLimit, 0, borrowLimit.length);
        System.arraycopy(lendingLimit, 0, lendLimit, 0, lendLimit.length);
    }

    public int nominal(int t, int m) { return nominal[i(t, m)]; }
    public int extra(int t, int m) { return extra[i(t, m)]; }
    public int borrowingLimit(int t, int m) { return borrowLimit[i(t, m)]; }
    public int lendingLimit(int t, int m) { return lendLimit[i(t, m)]; }
    public long subtreeQuota(int t, int m) { return subtreeQuota[i(t, m)]; }
    public long guaranteed(int t, int m) { return guaranteed[i(t, m)]; }
    /** GPUs in use by jobs of this tenant's subtree. */
    public long used(int t, int m) {
        if (tree.isLeaf(t)) return own[i(t, m)];
        long sum = 0;
        for (int c : tree.children(t)) sum += used(c, m);
        return sum;
    }
    /**
     * Kueue's usage of a tenant's pool: its own jobs plus what its children use beyond their guaranteed parts (the
     * figure its borrowing limit and its parent's pool are measured against).
     */
    public long pooledUsage(int t, int m) { return usage[i(t, m)]; }
    /** GPUs a leaf's own jobs hold. */
    public long own(int t, int m) { return own[i(t, m)]; }

    /** Recomputes subtree quotas, guaranteed parts and pooled usage after a quota or award change. */
    public void recompute() {
        bumpAll();
        for (int m = 0; m < models; m++) {
            for (int t = tree.size() - 1; t >= 0; t--) {
                int x = i(t, m);
                long sq = (long) nominal[x] + extra[x];
                long u = own[x];
                for (int c : tree.children(t)) {
                    int y = i(c, m);
                    sq += subtreeQuota[y] - guaranteed[y];
                    u += Math.max(0, usage[y] - guaranteed[y]);
                }
                subtreeQuota[x] = sq;
                // An isolated tenant lends nothing upward, whatever its lending limits say.
                guaranteed[x] = tree.isolated(t) ? sq : lendLimit[x] == QuotaSpec.UNLIMITED ? 0 : Math.max(0, sq - lendLimit[x]);
                usage[x] = u;
            }
        }
    }

    /** Adds (or with a negative delta removes) GPUs used by a project's job. */
    public void addUsage(int project, int m, long delta) {
        version[m]++;
        own[i(project, m)] += delta;
        long d = delta;
        for (int t = project; t >= 0 && d != 0; t = tree.parent(t)) {
            int x = i(t, m);
            long before = usage[x];
            usage[x] += d;
            long g = guaranteed[x];
            d = Math.max(0, usage[x] - g) - Math.max(0, before - g);
        }
    }

    /** GPUs of model {@code m} that tenant {@code t} may still start jobs on, borrowing included. */
    public long available(int t, int m) {
        int x = i(t, m);
        if (availableAt[x] == version[m]) return availableValue[x];
        long v = computeAvailable(t, m);
        availableAt[x] = version[m];
        availableValue[x] = v;
        return v;
    }

    private long computeAvailable(int t, int m) {
        int x = i(t, m);
        int p = tree.parent(t);
        if (p < 0) return subtreeQuota[x] - usage[x];
        long local = Math.max(0, guaranteed[x] - usage[x]);
        long fromParent = available(p, m);
        if (borrowLimit[x] != QuotaSpec.UNLIMITED) {
            long stored = subtreeQuota[x] - guaranteed[x];
            long usedInParent = Math.max(0, usage[x] - guaranteed[x]);
            fromParent = Math.min(stored - usedInParent + borrowLimit[x], fromParent);
        }
        return local + Math.max(0, fromParent);
    }

    /**
     * Whether a project may start {@code gpus} more GPUs of a model now: within what it may still use, and,
     * unless it may borrow (only preemptible jobs may), within its own quota.
     */
    public boolean admits(int project, int m, long gpus, boolean mayBorrow) {
        return available(project, m) >= gpus && (mayBorrow || withinOwnQuota(project, m, gpus));
    }

    /**
     * Whether {@code gpus} more for a project stay within its own subtree quota (no borrowing), counting its running jobs
     * that started borrowing as reclaimable: they are preemptible and give way to the project's own guaranteed work as
     * they give way to a lender's. (Its jobs that did not borrow never exceed its quota, so at least the GPUs it uses
     * above its quota are always held by jobs flagged borrowed.)
     */
    public boolean withinOwnQuota(int project, int m, long gpus) {
        int x = i(project, m);
        return own[x] - ownBorrowed[x] + gpus <= subtreeQuota[x];
    }

    /** GPUs of a project's running jobs that did not borrow: what its own quota holds now. */
    public long ownGuaranteedUse(int project, int m) {
        int x = i(project, m);
        return own[x] - ownBorrowed[x];
    }

    /** GPUs of a project's running jobs that started borrowing. */
    public long ownBorrowed(int project, int m) {
        return ownBorrowed[i(project, m)];
    }

    /** A job that started borrowing started ({@code delta > 0}) or stopped; call beside {@link #addUsage}. */
    public void addBorrowed(int project, int m, long delta) {
        version[m]++;
        ownBorrowed[i(project, m)] += delta;
    }

    /** How many GPUs above its own quota a tenant uses (0 when it is not borrowing). */
    public long borrowed(int t, int m) {
        return Math.max(0, used(t, m) - subtreeQuota[i(t, m)]);
    }

    public TenantTree tree() { return tree; }
    public int models() { return models; }
}

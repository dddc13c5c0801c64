package kr.nuri.core.engine;

import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.core.state.State;
import kr.nuri.core.tenancy.QuotaBook;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantTree;

/**
 * Invariant 3 of DESIGN.md (a tenant's usage stays within its guaranteed quota plus what it may borrow), checked
 * against figures rebuilt from scratch rather than read from the engine's incremental {@link QuotaBook}: usage
 * from the running jobs, dedicated-award quota from the awards active now, and the Kueue arithmetic from a new
 * book recomputed whole. A bug in the incremental usage propagation, the {@code available} memo or the award
 * refresh makes the two disagree; a bug in admission makes a start break the bound.
 */
final class QuotaOracle {
    private final State state;
    private final Fleet fleet;
    private final TenantTree tree;

    QuotaOracle(State state) {
        this.state = state;
        this.fleet = state.fleet();
        this.tree = state.tenants();
    }

    /** GPUs of each model that each tenant's subtree's running jobs hold, from the jobs themselves. */
    private long[][] usageFromJobs() {
        long[][] used = new long[tree.size()][fleet.poolCount()];
        for (Job j : state.jobs()) {
            if (j.state() != JobState.RUNNING) continue;
            for (int t = j.project(); t >= 0; t = tree.parent(t)) used[t][j.pool()] += j.totalGpus();
        }
        return used;
    }

    /**
     * Kueue's usage of each tenant's pool, from the jobs (but {@code without}): a tenant's own jobs plus what each child uses beyond its
     * guaranteed part (what a child uses within its guarantee is not charged to the parent's pool).
     */
    private long[] pooledUsage(QuotaBook fresh, int m, Job without) {
        long[] pooled = new long[tree.size()];
        for (Job j : state.jobs()) {
            if (j.state() == JobState.RUNNING && j.pool() == m && j != without) pooled[j.project()] += j.totalGpus();
        }
        for (int t = tree.size() - 1; t > 0; t--) { // children come after their parent in the tree's order
            int p = tree.parent(t);
            if (p >= 0) pooled[p] += Math.max(0, pooled[t] - fresh.guaranteed(t, m));
        }
        return pooled;
    }

    /** A quota book built from the quota settings, the awards active now and the running jobs alone. */
    private QuotaBook rebuilt() {
        QuotaBook live = state.quota();
        QuotaBook book = new QuotaBook(tree, fleet.poolCount());
        for (int t = 0; t < tree.size(); t++) {
            for (int m = 0; m < fleet.poolCount(); m++) {
                book.set(t, m, live.nominal(t, m), live.borrowingLimit(t, m), live.lendingLimit(t, m));
            }
        }
        int[][] extra = new int[tree.size()][fleet.poolCount()];
        for (int a = 0; a < state.awards().size(); a++) {
            AwardSpec s = state.awards().get(a);
            if (s.kind() == AwardSpec.Kind.DEDICATED && s.activeAt(state.now())) {
                extra[tree.index(s.tenant())][state.pools().resolve(tree.index(s.tenant()), s.model())] += s.gpus();
            }
        }
        for (int t = 0; t < tree.size(); t++) {
            for (int m = 0; m < fleet.poolCount(); m++) book.setExtra(t, m, extra[t][m]);
        }
        book.recompute();
        for (Job j : state.jobs()) {
            if (j.state() == JobState.RUNNING) book.addUsage(j.project(), j.pool(), j.totalGpus());
        }
        book.recompute();
        return book;
    }

    /** The engine's quota book agrees, cell by cell, with one rebuilt from scratch. */
    void checkBook() {
        QuotaBook live = state.quota();
        QuotaBook fresh = rebuilt();
        long[][] used = usageFromJobs();
        long[][] borrowed = new long[tree.size()][fleet.poolCount()];
        for (Job j : state.jobs()) if (j.state() == JobState.RUNNING && j.borrowed()) borrowed[j.project()][j.pool()] += j.totalGpus();
        for (int t = 0; t < tree.size(); t++) {
            for (int m = 0; m < fleet.poolCount(); m++) {
                String cell = "tenant " + tree.name(t) + " " + fleet.pools().get(m) + ": ";
                if (live.used(t, m) != used[t][m]) InvariantChecker.fail(cell + "jobs hold " + used[t][m] + " GPUs, the quota book says " + live.used(t, m));
                if (tree.isLeaf(t) && live.ownBorrowed(t, m) != borrowed[t][m]) {
                    InvariantChecker.fail(cell + "jobs that borrowed hold " + borrowed[t][m] + " GPUs, the quota book says " + live.ownBorrowed(t, m));
                }
                if (live.extra(t, m) != fresh.extra(t, m)) {
                    InvariantChecker.fail(cell + "active dedicated awards give " + fresh.extra(t, m) + " GPUs, the quota book says " + live.extra(t, m));
                }
                if (live.subtreeQuota(t, m) != fresh.subtreeQuota(t, m) || live.guaranteed(t, m) != fresh.guaranteed(t, m)) {
                    InvariantChecker.fail(cell + "subtree quota / guaranteed " + live.subtreeQuota(t, m) + " / " + live.guaranteed(t, m)
                            + ", recomputed " + fresh.subtreeQuota(t, m) + " / " + fresh.guaranteed(t, m));
                }
                if (live.available(t, m) != fresh.available(t, m)) {
                    InvariantChecker.fail(cell + "may still use " + live.available(t, m) + " GPUs, recomputed " + fresh.available(t, m));
                }
            }
        }
    }

    /**
     * The bound at the moment {@code job} started (quota may shrink under running jobs later, which reclaim then
     * fixes, so the bound is a property of starts): on the path from its project to the root, no tenant uses more
     * than its subtree quota plus its borrowing limit, and no pool is overdrawn; a job that may not borrow (not
     * preemptible) stays inside its project's own quota; it is marked borrowed exactly when it is beyond that quota.
     */
    void checkStart(Job job) {
        QuotaBook fresh = rebuilt();
        long[][] used = usageFromJobs();
        int m = job.pool();
        String model = fleet.pools().get(m);
        long[] after = pooledUsage(fresh, m, null);
        long[] before = pooledUsage(fresh, m, job);
        for (int t = job.project(); t >= 0; t = tree.parent(t)) {
            if (after[t] == before[t]) continue; // covered by guarantees below: nothing charged to this pool
            int limit = fresh.borrowingLimit(t, m);
            if (limit != QuotaSpec.UNLIMITED && after[t] > fresh.subtreeQuota(t, m) + limit) {
                InvariantChecker.fail("job " + job.id() + " started and tenant " + tree.name(t) + " uses " + after[t] + " " + model
                        + " GPUs of its pool, over its quota " + fresh.subtreeQuota(t, m) + " plus borrowing limit " + limit);
            }
            if (tree.parent(t) < 0 && after[t] > fresh.subtreeQuota(t, m)) {
                InvariantChecker.fail("job " + job.id() + " started and the root " + tree.name(t) + " pool uses " + after[t] + " " + model
                        + " GPUs of " + fresh.subtreeQuota(t, m));
            }
        }
        // Its project's own quota holds the GPUs of its running jobs that did not borrow; those that did are reclaimable.
        long notBorrowed = 0;
        for (Job j : state.jobs()) {
            if (j.state() == JobState.RUNNING && j.project() == job.project() && j.pool() == m && !j.borrowed() && j != job) {
                notBorrowed += j.totalGpus();
            }
        }
        boolean beyondOwn = notBorrowed + job.totalGpus() > fresh.subtreeQuota(job.project(), m);
        if (beyondOwn && !job.preemptible() && job.totalGpus() > 0) {
            InvariantChecker.fail("job " + job.id() + " is not preemptible but started on borrowed quota: its project's jobs that did not "
                    + "borrow hold " + notBorrowed + " " + model + " GPUs of " + fresh.subtreeQuota(job.project(), m));
        }
        if (job.borrowed() != (beyondOwn && job.totalGpus() > 0)) {
            InvariantChecker.fail("job " + job.id() + " started with borrowed=" + job.borrowed() + " but its project's jobs that did not "
                    + "borrow hold " + notBorrowed + " " + model + " GPUs of its quota " + fresh.subtreeQuota(job.project(), m));
        }
    }
}

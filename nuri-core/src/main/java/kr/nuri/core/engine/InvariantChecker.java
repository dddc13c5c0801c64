package kr.nuri.core.engine;

import kr.nuri.core.job.JobSpec;
import java.util.HashMap;
import java.util.Map;
import kr.nuri.core.award.AwardBook;
import kr.nuri.core.event.Event;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Health;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.core.state.State;
import kr.nuri.core.tenancy.QuotaBook;
import kr.nuri.core.tenancy.TenantTree;

/**
 * The invariants of DESIGN.md, checked on the live state. {@link #before} and {@link #after} look only at
 * what one event touches; {@link #checkAll} walks everything. A violation is an {@link IllegalStateException}
 * naming the job, node or tenant.
 */
final class InvariantChecker {
    private final State state;
    private final Fleet fleet;
    private final QuotaOracle quotaOracle;

    InvariantChecker(State state) {
        this.state = state;
        this.fleet = state.fleet();
        this.quotaOracle = new QuotaOracle(state);
    }

    /** Whether the pool a quota event changes guaranteed no more than it may before it (see {@link #decided}). */
    private boolean poolWithinBefore = true;

    /** Checks that need the state before the event: a job starts only on nodes that are up. */
    void before(Event event) {
        if (event instanceof Event.QuotaSet e) poolWithinBefore = guaranteed(e.pool()) <= state.pools().bound(e.pool());
        if (event instanceof Event.JobStarted e) {
            for (int n : e.nodes()) {
                if (state.capacity().health(n) != Health.UP) {
                    fail("job " + e.jobId() + " starts on node " + fleet.nodeName(n) + " which is " + state.capacity().health(n));
                }
            }
        }
    }

    /** Checks what one event touched; {@code full}: the quota bound against figures rebuilt from scratch too. */
    void after(Event event, boolean full) {
        if (event instanceof Event.JobStarted e) {
            Job job = state.job(e.jobId());
            checkGang(job);
            checkQuotaPath(job);
            if (full) quotaOracle.checkStart(job);
            for (int n : e.nodes()) {
                if (state.capacity().free(n) < 0) fail("node " + fleet.nodeName(n) + " is over-allocated");
            }
            if (job.award() >= 0) {
                // 6. No job charges an inactive or exhausted award.
                if (!state.awards().get(job.award()).activeAt(e.time())) {
                    fail("job " + job.id() + " started at t=" + e.time() + " charging award " + state.awards().get(job.award()).id()
                            + ", which is not active then");
                }
                checkAward(job.award());
            }
        }
        // 6. A retired node holds no job.
        if (event instanceof Event.NodeHealthChanged e && e.health() == Health.RETIRED && !state.running().onNode(e.node()).isEmpty()) {
            fail("node " + fleet.nodeName(e.node()) + " was retired holding job " + state.running().onNode(e.node()).get(0).id());
        }
        if (event instanceof Event.JobEnded e && state.job(e.jobId()).award() >= 0) {
            checkAward(state.job(e.jobId()).award());
        }
    }

    void checkAll() {
        int[] held = new int[fleet.nodeCount()];
        long[] cpu = new long[fleet.nodeCount()];
        long[] memory = new long[fleet.nodeCount()];
        Map<Long, Integer> shares = new HashMap<>();
        long jobCharges = 0;
        Map<Integer, Long> byProject = new HashMap<>();
        int running = 0;
        int pending = 0;
        for (Job j : state.jobs()) {
            jobCharges += j.gpuSeconds();
            byProject.merge(j.project(), j.gpuSeconds(), Long::sum);
            if (j.state() == JobState.RUNNING) {
                running++;
                checkGang(j);
                for (int i = 0; i < j.nodes().length; i++) {
                    int n = j.nodes()[i];
                    if (state.capacity().health(n) == Health.RETIRED) fail("job " + j.id() + " runs on retired node " + fleet.nodeName(n));
                    held[n] += j.gpus()[i];
                    cpu[n] += j.spec().cpuMilli();
                    memory[n] += j.spec().memoryMib();
                    if (j.slots() != null) shares.merge((long) fleet.gpuBase(n) + j.slots()[i], j.spec().gpuMilli(), Integer::sum);
                }
            } else if (j.state() == JobState.PENDING && !j.held()) {
                pending++; // a held job waits out of the queue
            }
        }
        // 1. No GPU is allocated twice: what jobs hold on a node is exactly what the node lacks.
        // A GPU shared by jobs is held by none whole and is not free; shares on one GPU add up to at most 1000.
        for (int n = 0; n < fleet.nodeCount(); n++) {
            int shared = 0;
            long room = 0;
            for (int slot = 0; slot < fleet.nodeGpus(n); slot++) {
                int used = shares.getOrDefault((long) fleet.gpuBase(n) + slot, 0);
                if (used > 0) room += JobSpec.WHOLE_GPU - used;
                if (used != state.capacity().shareUsed(n, slot) || used > JobSpec.WHOLE_GPU) {
                    fail("node " + fleet.nodeName(n) + " GPU slot " + slot + ": jobs share " + used + " thousandths, the capacity index says "
                            + state.capacity().shareUsed(n, slot));
                }
                if (used > 0) shared++;
            }
            if (state.capacity().gpuMilliLeft(n) != state.capacity().free(n) * 1000L + room) {
                fail("node " + fleet.nodeName(n) + ": " + room + " thousandths free on shared GPUs, the capacity index says "
                        + (state.capacity().gpuMilliLeft(n) - state.capacity().free(n) * 1000L));
            }
            if (held[n] + shared + state.capacity().free(n) != fleet.nodeGpus(n)) {
                fail("node " + fleet.nodeName(n) + ": jobs hold " + held[n] + " GPUs and share " + shared + ", " + state.capacity().free(n)
                        + " are free, but it has " + fleet.nodeGpus(n));
            }
            if ((fleet.nodeCpuMilli(n) > 0 && cpu[n] + state.capacity().cpuLeft(n) != fleet.nodeCpuMilli(n))
                    || (fleet.nodeMemoryMib(n) > 0 && memory[n] + state.capacity().memoryLeft(n) != fleet.nodeMemoryMib(n))) {
                fail("node " + fleet.nodeName(n) + ": jobs hold " + cpu[n] + " mCPU and " + memory[n] + " MiB; " + state.capacity().cpuLeft(n)
                        + " mCPU and " + state.capacity().memoryLeft(n) + " MiB are left of " + fleet.nodeCpuMilli(n) + " and " + fleet.nodeMemoryMib(n));
            }
        }
        if (running != state.running().size()) fail(running + " running jobs but the running index has " + state.running().size());
        if (pending != state.queue().size()) fail(pending + " pending jobs not held but the queue has " + state.queue().size());
        // 3. Quota: the book's usage, guaranteed parts and headroom equal figures rebuilt from scratch (the bound itself
        // is checked at every start, in after()).
        quotaOracle.checkBook();
        TenantTree tree = state.tenants();
        // 4. GPU-hours: the ledger equals the sum over jobs, per project too; no award overspent.
        if (jobCharges != state.chargedGpuSeconds()) {
            fail("jobs were charged " + jobCharges + " GPU-seconds but the ledger has " + state.chargedGpuSeconds());
        }
        for (var e : byProject.entrySet()) {
            if (e.getValue() != state.chargedGpuSeconds(e.getKey())) {
                fail("project " + tree.name(e.getKey()) + " jobs were charged " + e.getValue() + " but the ledger has "
                        + state.chargedGpuSeconds(e.getKey()));
            }
        }
        for (int a = 0; a < state.awards().size(); a++) checkAward(a);
    }

    /**
     * The invariants of ownership (6), on what the engine decides now, not on what a journal replays: journals written
     * before pools hold starts and quotas these rules did not yet govern, and their history stays as it was.
     */
    void decided(Event event) {
        if (event instanceof Event.JobStarted e) checkPool(state.job(e.jobId()));
        // A pool over-committed by history (a file that shrank under a journal's quotas) may be lowered step by step.
        if (event instanceof Event.QuotaSet e && poolWithinBefore) checkGuarantees(e.pool());
        if (event instanceof Event.AwardGranted e && e.award().kind() == kr.nuri.core.award.AwardSpec.Kind.DEDICATED) {
            checkGuarantees(state.pools().resolve(state.tenants().index(e.award().tenant()), e.award().model()));
        }
    }

    /**
     * 6. A job starts only on a pool its project may run on, never across an isolated boundary; on a pool its line does not
     * own, without a guarantee there (a dedicated award), a job holding GPUs starts flagged borrowed (a CPU-only job holds
     * none).
     */
    private void checkPool(Job j) {
        var pools = state.pools();
        int p = j.pool();
        if (!pools.mayRun(j.project(), p)) {
            fail("job " + j.id() + " of " + state.tenants().name(j.project()) + " runs on pool " + fleet.poolName(p) + ", across isolated tenant "
                    + state.tenants().name(pools.isolatedBy(j.project(), p)));
        }
        if (j.totalGpus() > 0 && !pools.owns(j.project(), p) && !j.borrowed() && state.quota().subtreeQuota(j.project(), p) == 0) {
            fail("job " + j.id() + " of " + state.tenants().name(j.project()) + " runs on pool " + fleet.poolName(p) + ", which its line does not own"
                    + " and where it has no guarantee, but is not flagged borrowed");
        }
    }

    /** 6. Guaranteed quota on a pool (nominal quotas plus active dedicated awards) never exceeds its capacity. */
    private void checkGuarantees(int p) {
        long sum = guaranteed(p);
        if (sum > state.pools().bound(p)) fail("pool " + fleet.poolName(p) + " guarantees " + sum + " GPUs but may guarantee " + state.pools().bound(p));
    }

    private long guaranteed(int p) {
        QuotaBook q = state.quota();
        long sum = 0;
        for (int t = 0; t < state.tenants().size(); t++) sum += q.nominal(t, p) + q.extra(t, p);
        return sum;
    }

    /** 2. A gang is whole and inside one domain of the level it required. */
    private void checkGang(Job j) {
        int total = 0;
        int members = 0;
        int g = j.spec().gpusPerMember();
        Level level = j.spec().levelRequired() ? j.spec().level() : Level.FLEET;
        int domain = -1;
        for (int i = 0; i < j.nodes().length; i++) {
            int n = j.nodes()[i];
            total += j.gpus()[i];
            if (fleet.poolOfNode(n) != j.pool()) fail("job " + j.id() + " has node " + fleet.nodeName(n) + " of another pool");
            if (level != Level.NODE && g > 0 && j.gpus()[i] % g != 0) fail("job " + j.id() + " splits a member across nodes");
            members += level == Level.NODE || g == 0 ? j.spec().members() : j.gpus()[i] / g;
            int d = fleet.domainOf(level, n);
            if (domain >= 0 && d != domain) fail("job " + j.id() + " spans two " + level.label() + "s");
            domain = d;
        }
        if (j.spec().sharing()) {
            if (j.nodes().length != 1 || total != 0 || j.slots() == null || j.slots().length != 1) {
                fail("job " + j.id() + " shares a GPU but holds " + total + " whole GPUs on " + j.nodes().length + " nodes");
            }
            return;
        }
        if (j.slots() != null) fail("job " + j.id() + " holds a shared GPU slot without asking for a share");
        if (total != j.totalGpus() || members != j.spec().members()) {
            fail("job " + j.id() + " started with " + total + " GPUs / " + members + " members instead of " + j.totalGpus());
        }
    }

    /**
     * A start may raise a pool's usage only within its bound: on the path from the project up, every tenant the job's
     * GPUs are charged to (beyond the guaranteed parts below it) stays within its quota plus borrowing limit, and the
     * root within the fleet's quota. A pool already over (its quota was cut under running jobs) may still take jobs
     * that its children's guarantees cover, which charge it nothing.
     */
    private void checkQuotaPath(Job job) {
        QuotaBook quota = state.quota();
        int m = job.pool();
        long d = job.totalGpus();
        for (int t = job.project(); t >= 0 && d > 0; t = state.tenants().parent(t)) {
            long after = quota.pooledUsage(t, m);
            long g = quota.guaranteed(t, m);
            int limit = quota.borrowingLimit(t, m);
            boolean root = state.tenants().parent(t) < 0;
            if ((limit != kr.nuri.core.tenancy.QuotaSpec.UNLIMITED && after > quota.subtreeQuota(t, m) + limit)
                    || (root && after > quota.subtreeQuota(t, m))) {
                fail("job " + job.id() + " started and tenant " + state.tenants().name(t) + " uses " + after + " " + fleet.pools().get(m)
                        + " GPUs of its pool, over its quota " + quota.subtreeQuota(t, m) + (root ? "" : " plus borrowing limit " + limit));
            }
            d = Math.max(0, after - g) - Math.max(0, after - d - g);
        }
    }

    private void checkAward(int a) {
        AwardBook awards = state.awards();
        if (awards.committed(a) < 0 || awards.used(a) + awards.committed(a) > awards.get(a).limitGpuSeconds()) {
            fail("award " + awards.get(a).id() + " used " + awards.used(a) + " and committed " + awards.committed(a) + " of "
                    + awards.get(a).limitGpuSeconds() + " GPU-seconds");
        }
    }

    static void fail(String message) {
        throw new IllegalStateException("invariant violated: " + message);
    }
}

package kr.nuri.core.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.nuri.core.award.AwardBook;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.event.Event;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Health;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.PriorityClass;
import kr.nuri.core.policy.QueueOrder;
import kr.nuri.core.tenancy.FairShare;
import kr.nuri.core.tenancy.Pools;
import kr.nuri.core.tenancy.QuotaBook;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantPolicies;
import kr.nuri.core.tenancy.TenantSpec;
import kr.nuri.core.tenancy.TenantTree;

/**
 * All of the engine's state, and {@link #replay(Event)}: the only code that changes it. Replaying the same
 * events from the same config always gives the same state and the same {@link #hash()}.
 */
public final class State implements StateView {
    private final EngineConfig config;
    private final Fleet fleet;
    private final Capacity capacity;
    private final TenantTree tenants;
    private final QuotaBook quota;
    private final NodeReasons reasons;
    private final Pools pools;
    private final FairShare fairShare;
    private final TenantPolicies policies;
    private final AwardBook awards = new AwardBook();
    /** In submission (seq) order: JobSubmitted events come in seq order, so hashing and snapshots need no sort. */
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    /** Jobs by (user, submit key): a retried submission finds the job its first attempt made. */
    private final Map<String, Job> bySubmitKey = new HashMap<>();
    private final PendingQueue queue;
    private final RunningIndex running;
    private final ReservationBook reservations;
    private final long[] chargedByTenant;
    private final long[] chargedByModel;
    private long charged;
    private long nextSeq;
    private final QueueOrder queueOrder;
    private long now;
    private long nextAwardBoundary = Long.MIN_VALUE;

    /** A fresh state; its pending queue ranks waiting jobs by {@code queueOrder}. */
    public State(EngineConfig config, QueueOrder queueOrder) {
        this.config = config;
        this.queueOrder = queueOrder;
        this.fleet = config.fleet();
        this.capacity = new Capacity(fleet);
        this.reasons = new NodeReasons(fleet);
        this.reservations = new ReservationBook(capacity);
        this.tenants = config.tree();
        this.pools = new Pools(fleet, tenants);
        this.quota = new QuotaBook(tenants, fleet.poolCount());
        for (TenantSpec t : config.tenants()) {
            int ti = tenants.index(t.name());
            for (QuotaSpec q : t.quotas()) {
                quota.set(ti, pools.resolve(ti, q.model()), q.nominal(), q.borrowingLimit(), q.lendingLimit());
            }
        }
        quota.recompute();
        this.fairShare = new FairShare(tenants, config.fairShareHalfLife());
        this.policies = new TenantPolicies(tenants, config.tenants());
        this.queue = new PendingQueue(config.classes().size(), tenants.size(), fleet.poolCount(), queueOrder);
        this.running = new RunningIndex(fleet, config.classes().stream().mapToInt(PriorityClass::priority).toArray());
        this.chargedByTenant = new long[tenants.size()];
        this.chargedByModel = new long[fleet.poolCount()];
        for (AwardSpec a : config.awards()) awards.add(a);
        refreshDedicatedAwards();
    }

    public void replay(Event event) {
        if (event.time() < now) {
            throw new IllegalStateException("event " + event + " is older than the engine's time " + now);
        }
        now = event.time();
        if (now >= nextAwardBoundary) refreshDedicatedAwards();
        switch (event) {
            case Event.JobSubmitted e -> submitted(e);
            case Event.JobStarted e -> started(e);
            case Event.JobEnded e -> ended(e);
            case Event.JobHeld e -> held(jobs.get(e.jobId()), e.held());
            case Event.WalltimeSet e -> walltime(jobs.get(e.jobId()), e.walltime());
            case Event.NodeHealthChanged e -> {
                capacity.setHealth(e.node(), e.health());
                if (e.health() != Health.UP) reservations.dropOn(e.node());
                if (e.health() == Health.RETIRED) pools.retired(e.node());
                reasons.set(e.node(), e.health(), e.reason());
            }
            case Event.QuotaSet e -> {
                quota.set(e.tenant(), e.pool(), e.nominal(), e.borrowingLimit(), e.lendingLimit());
                quota.recompute();
            }
            case Event.TenantPolicySet e -> policies.set(tenants.index(e.tenant()), e.policy());
            case Event.TenantCreated e -> { } // the engine rebuilt this state with the tenant in its tree (Engine.replay)
            case Event.BlockAdded e -> { } // … with the block in its fleet
            case Event.BlockOwnerChanged e -> { } // … with the block in its new owner's pool
            case Event.TenantRetired e -> policies.setRetired(tenants.index(e.tenant()), e.retired());
            case Event.AwardGranted e -> {
                awards.add(e.award());
                refreshDedicatedAwards();
            }
            case Event.AwardRevised e -> {
                awards.revise(awards.index(e.awardId()), e.budgetGpuSeconds(), e.to());
                refreshDedicatedAwards();
            }
            case Event.ReservationMade e -> reservations.put(new Reservation(e.jobId(), e.start(), e.pool(), e.nodes()));
            case Event.ReservationReleased e -> reservations.release(e.jobId());
            case Event.ClockAdvanced e -> { }
        }
    }

    private void submitted(Event.JobSubmitted e) {
        JobSpec s = e.spec();
        int cls = config.classIndex(s.priorityClass());
        PriorityClass pc = config.classes().get(cls);
        long walltime = s.walltime() > 0 ? s.walltime() : pc.defaultWalltime();
        boolean preemptible = s.preemptible() != null ? s.preemptible() : pc.preemptible();
        int award = s.award() == null ? -1 : awards.index(s.award());
        int project = tenants.index(s.project());
        List<String> asked = s.models().isEmpty() && award >= 0 && awards.get(award).model() != null
                ? List.of(awards.get(award).model()) : s.models();
        Job job = new Job(s, e.seq(), e.time(), project, award, cls, pc.priority(), walltime,
                preemptible, pools.candidates(project, asked));
        jobs.put(s.id(), job);
        if (s.submitKey() != null) bySubmitKey.put(s.user() + '\n' + s.submitKey(), job);
        queue.add(job);
        nextSeq = Math.max(nextSeq, e.seq() + 1);
    }

    private void started(Event.JobStarted e) {
        Job job = jobs.get(e.jobId());
        queue.remove(job);
        reservations.release(job.id());
        hold(job, e.pool(), e.nodes(), e.gpus(), e.slots(), e.time());
        job.markStarted(e.time(), e.pool(), e.nodes(), e.gpus(), e.slots(), e.borrowed());
        if (e.borrowed()) quota.addBorrowed(job.project(), e.pool(), job.totalGpus());
        running.add(job);
    }

    /** A run takes its GPUs: capacity, quota usage, fair-share running time, the award's commitment. */
    private void hold(Job job, int model, int[] nodes, int[] gpus, int[] slots, long startTime) {
        JobSpec spec = job.spec();
        for (int i = 0; i < nodes.length; i++) {
            if (spec.nodeFit()) {
                capacity.takeNodeFit(nodes[i], gpus[i], slots == null ? -1 : slots[i], spec.gpuMilli(), spec.cpuMilli(),
                        spec.memoryMib(), demand(spec));
            } else {
                capacity.take(nodes[i], gpus[i]);
            }
        }
        int total = job.totalGpus();
        quota.addUsage(job.project(), model, total);
        fairShare.started(job.project(), startTime, total);
        if (job.award() >= 0) awards.commit(job.award(), (long) total * job.walltime());
    }

    /** A held job leaves the queue (and its reservation) and keeps its seq, so a release puts it back at its old place. */
    private void held(Job job, boolean held) {
        if (held) {
            queue.remove(job);
            reservations.release(job.id());
        } else {
            queue.add(job);
        }
        job.markHeld(held);
    }

    /**
     * A new walltime: a running job's deadline moves (and what its award holds for it); a waiting job is queued again (its
     * rank may depend on it) and gives up its reservation, planned for the old one.
     */
    private void walltime(Job job, long walltime) {
        if (job.state() == JobState.RUNNING) {
            running.remove(job);
            if (job.award() >= 0) awards.commit(job.award(), (long) job.totalGpus() * (walltime - job.walltime()));
            job.markWalltime(walltime);
            running.add(job);
        } else if (job.held()) {
            job.markWalltime(walltime);
        } else {
            queue.remove(job);
            reservations.release(job.id());
            job.markWalltime(walltime);
            queue.add(job);
        }
    }

    private void ended(Event.JobEnded e) {
        Job job = jobs.get(e.jobId());
        long charge = 0;
        if (job.state() == JobState.RUNNING) {
            running.remove(job);
            int total = job.totalGpus();
            JobSpec spec = job.spec();
            for (int i = 0; i < job.nodes().length; i++) {
                if (spec.nodeFit()) {
                    capacity.releaseNodeFit(job.nodes()[i], job.gpus()[i], job.slots() == null ? -1 : job.slots()[i], spec.gpuMilli(),
                            spec.cpuMilli(), spec.memoryMib(), demand(spec));
                } else {
                    capacity.release(job.nodes()[i], job.gpus()[i]);
                }
            }
            charge = job.chargeFor(e.heldUntil());
            quota.addUsage(job.project(), job.pool(), -total);
            if (job.borrowed()) quota.addBorrowed(job.project(), job.pool(), -total);
            fairShare.stopped(job.project(), job.startTime(), total);
            fairShare.charge(job.project(), e.time(), charge);
            if (job.award() >= 0) awards.settle(job.award(), (long) total * job.walltime(), charge);
            for (int t = job.project(); t >= 0; t = tenants.parent(t)) chargedByTenant[t] += charge;
            chargedByModel[job.pool()] += charge;
            charged += charge;
        } else if (job.held()) {
            job.markHeld(false); // a held job cancelled: it is in no queue
        } else {
            queue.remove(job);
            reservations.release(job.id());
        }
        job.markEnded(e.time(), e.outcome(), charge, e.requeued());
        if (e.requeued()) queue.add(job);
    }

    /** A node-fit job's GPU demand as the clustering policy groups it: GPUs × 10,000 + thousandths. */
    public static long demand(JobSpec spec) {
        return spec.gpusPerMember() * 10_000L + spec.gpuMilli();
    }

    /** Sets each tenant's extra quota from the dedicated awards active now; finds when that changes next. */
    private void refreshDedicatedAwards() {
        for (int t = 0; t < tenants.size(); t++) {
            for (int m = 0; m < fleet.poolCount(); m++) quota.setExtra(t, m, 0);
        }
        for (int a = 0; a < awards.size(); a++) {
            AwardSpec s = awards.get(a);
            if (s.kind() == AwardSpec.Kind.DEDICATED && s.activeAt(now)) {
                int t = tenants.index(s.tenant());
                int m = pools.resolve(t, s.model());
                quota.setExtra(t, m, quota.extra(t, m) + s.gpus());
            }
        }
        quota.recompute();
        nextAwardBoundary = awards.nextBoundaryAfter(now);
    }

    /** The state as plain data (O(jobs + nodes)); see {@link Snapshot}. */
    public Snapshot snapshot() {
        int[][] settings = quota.settings();
        long[] used = new long[awards.size()];
        for (int a = 0; a < awards.size(); a++) used[a] = awards.used(a);
        byte[] health = new byte[fleet.nodeCount()];
        for (int n = 0; n < health.length; n++) health[n] = (byte) capacity.health(n).ordinal();
        List<Snapshot.JobRecord> records = new ArrayList<>(jobs.size());
        for (Job j : jobs.values()) {
            records.add(new Snapshot.JobRecord(j.spec(), j.seq(), j.submitTime(), j.state(), j.startTime(), j.endTime(), j.pool(),
                    j.nodes(), j.gpus(), j.borrowed(), j.gpuSeconds(), j.runs(), j.lastOutcome(), j.slots(), j.held(),
                    j.walltimeSet() ? j.walltime() : 0));
        }
        return new Snapshot(now, nextSeq, charged, chargedByTenant.clone(), chargedByModel.clone(), settings[0], settings[1], settings[2],
                List.copyOf(awards.specs()), used, fairShare.decayedSnapshot(), fairShare.decayedAtSnapshot(), health, records,
                List.copyOf(reservations.view().values()), policies.snapshot(), policies.retiredSnapshot(), List.copyOf(config.createdTenants()),
                config.fleetChanges(), reasons.byName());
    }

    /**
     * Rebuilds this (new, empty) state from a snapshot: every index is built the way replay builds it, so the
     * hash and all later decisions are those of the engine that took the snapshot.
     */
    public void restore(Snapshot s) {
        if (now != 0 || !jobs.isEmpty()) throw new IllegalStateException("restore needs a new engine; this one has state already");
        int models = fleet.poolCount();
        if (s.health().length != fleet.nodeCount() || s.quotaNominal().length != tenants.size() * models) {
            throw new IllegalArgumentException("the snapshot is of another fleet or quota tree (" + s.health().length + " nodes, "
                    + s.quotaNominal().length / Math.max(1, models) + " tenants); this engine has " + fleet.nodeCount() + " nodes and "
                    + tenants.size() + " tenants");
        }
        now = s.now();
        nextSeq = s.nextSeq();
        charged = s.charged();
        System.arraycopy(s.chargedByTenant(), 0, chargedByTenant, 0, chargedByTenant.length);
        System.arraycopy(s.chargedByModel(), 0, chargedByModel, 0, chargedByModel.length);
        quota.restoreSettings(s.quotaNominal(), s.quotaBorrowingLimit(), s.quotaLendingLimit());
        for (int a = 0; a < s.awards().size(); a++) {
            int index = awards.add(s.awards().get(a));
            awards.restoreUsed(index, s.awardUsed()[a]);
        }
        refreshDedicatedAwards();
        fairShare.restoreDecayed(s.fairDecayed(), s.fairDecayedAt());
        policies.restore(s.policies());
        policies.restoreRetired(s.retired());
        reasons.restore(s.nodeReasons());
        for (int n = 0; n < s.health().length; n++) {
            Health h = Health.values()[s.health()[n]];
            if (h != Health.UP) capacity.setHealth(n, h);
            if (h == Health.RETIRED) pools.retired(n);
        }
        for (Snapshot.JobRecord r : s.jobs()) {
            submitted(new Event.JobSubmitted(r.submitTime(), r.spec(), r.seq()));
            Job job = jobs.get(r.spec().id());
            if (r.walltime() > 0) {
                queue.remove(job);
                job.markWalltime(r.walltime());
                queue.add(job);
            }
            if (r.state() == JobState.PENDING) {
                queue.remove(job); // its rank may depend on its earlier runs (srtf): queue it again once they are known
                job.restoreRuns(JobState.PENDING, -1, -1, -1, null, null, null, false, r.gpuSeconds(), r.runs(), r.lastOutcome());
                if (r.held()) job.markHeld(true); else queue.add(job);
                continue;
            }
            queue.remove(job);
            job.restoreRuns(r.state(), r.startTime(), r.endTime(), r.model(), r.nodes(), r.gpus(), r.slots(), r.borrowed(),
                    r.gpuSeconds(), r.runs(), r.lastOutcome());
            if (r.state() == JobState.RUNNING) {
                hold(job, r.model(), r.nodes(), r.gpus(), r.slots(), r.startTime());
                if (r.borrowed()) quota.addBorrowed(job.project(), r.model(), job.totalGpus());
                running.add(job);
            }
        }
        nextSeq = s.nextSeq();
        for (Reservation r : s.reservations()) reservations.put(r);
        quota.recompute();
        now = s.now();
    }

    /** Each tenant's policy (priority classes, walltimes, awards required) and what applies with its ancestors'. */
    public TenantPolicies policies() { return policies; }

    /** See {@link StateHash#indexFingerprint}. */
    public long indexFingerprint() { return StateHash.indexFingerprint(this); }

    /** See {@link StateHash#of}. */
    public long hash() { return StateHash.of(this); }

    /** See {@link StateHash#positional}: the hash journals of format 1 recorded. */
    public long positionalHash() { return StateHash.positional(this); }

    private StateHash.Keys keys;

    StateHash.Keys keys() {
        if (keys == null) keys = new StateHash.Keys(this);
        return keys;
    }

    public EngineConfig config() { return config; }
    /** The order the pending queue ranks waiting jobs by. */
    public QueueOrder queueOrder() { return queueOrder; }
    public Fleet fleet() { return fleet; }
    public Capacity capacity() { return capacity; }
    public TenantTree tenants() { return tenants; }
    public QuotaBook quota() { return quota; }
    /** Why a node is not up, as the operator said it (or "failed"); null when up or not said. */
    public String reason(int node) { return reasons.of(node); }
    /** Who owns, may claim and may run on which pool. */
    public Pools pools() { return pools; }
    public FairShare fairShare() { return fairShare; }
    public AwardBook awards() { return awards; }
    public PendingQueue queue() { return queue; }
    public RunningIndex running() { return running; }
    public long now() { return now; }
    public long nextSeq() { return nextSeq; }
    public Job job(String id) { return jobs.get(id); }
    /** The job {@code user} submitted with {@code submitKey}, or null. */
    public Job jobBySubmitKey(String user, String submitKey) { return bySubmitKey.get(user + '\n' + submitKey); }
    public Collection<Job> jobs() { return jobs.values(); }
    public Map<String, Reservation> reservations() { return reservations.view(); }
    /** GPU-seconds charged to a tenant's subtree by finished runs. */
    public long chargedGpuSeconds(int tenant) { return chargedByTenant[tenant]; }
    public long chargedGpuSecondsOfModel(int model) { return chargedByModel[model]; }
    public long chargedGpuSeconds() { return charged; }

    /** The earliest start among reservations other than {@code exceptJob}'s, or Long.MAX_VALUE. */
    public long earliestReservationStart(String exceptJob) {
        return reservations.earliestStart(exceptJob);
    }
}

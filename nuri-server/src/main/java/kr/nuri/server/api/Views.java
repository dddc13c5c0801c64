package kr.nuri.server.api;

import kr.nuri.server.usage.Charges;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.engine.Result;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.schedule.Verdicts;
import kr.nuri.core.state.StateView;

/** What the API returns: plain records, times as ISO-8601 UTC, GPU time in GPU-hours. */
final class Views {
    private Views() {}

    static String time(long seconds) {
        return seconds < 0 ? null : Instant.ofEpochSecond(seconds).toString();
    }

    /** GPUs held whole on a node; for a job sharing a GPU, {@code gpus} 0 and the shared GPU's slot on the node. */
    record NodeShare(String node, int gpus, Integer sharedGpu) {}

    /** Where a job runs: its GPU model, its pool (the owner's GPUs of that model), whether it borrows, its nodes. */
    /** Where a run is: its pool and nodes; the site, and the site's id of the run where a cluster manager runs it (Slurm's job id). */
    record Placement(String model, String pool, boolean borrowed, List<NodeShare> nodes, String site, String siteJobId) {}

    record JobView(String id, String name, String project, String user, String award, String state, String priorityClass, int gpus,
                   int nodes, int gpusPerNode, List<String> models, String topology, boolean topologyRequired,
                   long walltime, long runtime, boolean preemptible, boolean requeue, String submitted, String started,
                   String ended, String pendingReason, String reasonDetail, String estimatedStart, Placement placement,
                   int runs, double gpuHours, String lastOutcome, int gpuMilli, int cpuMilli, long memoryMib, EstimateMove estimateMove) {}

    /** The last move of a waiting job's estimated start: from, to, when, and why ({@code cause} as a code, {@code why} in words). */
    record EstimateMove(String from, String to, String at, String cause, String why) {
        static EstimateMove of(Verdicts.Move m) {
            return m == null ? null : new EstimateMove(time(m.from()), time(m.to()), time(m.at()), m.cause().name(), m.cause().text());
        }
    }

    /** A job as shown; {@code now}: the time its running part is charged up to (as {@code /usage} charges it). */
    static JobView job(Job j, Engine engine, long now) {
        return job(j, engine, now, null);
    }

    /**
     * A job as shown; a finished job's placement is where its last run ran, from {@code runs} (null: not shown, as for a
     * job that finished before the server kept it).
     */
    static JobView job(Job j, Engine engine, long now, kr.nuri.server.usage.UsageLedger runs) {
        return job(j, engine, now, runs, null);
    }

    static JobView job(Job j, Engine engine, long now, kr.nuri.server.usage.UsageLedger runs, kr.nuri.server.exec.Executions sites) {
        StateView s = engine.state();
        Fleet fleet = s.fleet();
        JobSpec spec = j.spec();
        Placement placement = null;
        if (j.state() == JobState.RUNNING) {
            List<NodeShare> shares = new ArrayList<>(j.nodes().length);
            for (int i = 0; i < j.nodes().length; i++) shares.add(new NodeShare(fleet.nodeName(j.nodes()[i]), j.gpus()[i],
                    j.slots() == null ? null : j.slots()[i]));
            placement = new Placement(fleet.models().get(fleet.modelOfPool(j.pool())), fleet.poolName(j.pool()), j.borrowed(), shares,
                    fleet.siteName(fleet.siteOfNode(j.nodes()[0])), sites == null ? null : sites.siteJobId(j.id()));
        } else if (j.state().isFinal() && runs != null && runs.lastRun(j.id()) != null) {
            var run = runs.lastRun(j.id());
            List<NodeShare> shares = new ArrayList<>(run.nodes().length);
            for (int i = 0; i < run.nodes().length; i++) shares.add(new NodeShare(fleet.nodeName(run.nodes()[i]), run.gpus()[i], null));
            placement = new Placement(fleet.models().get(fleet.modelOfPool(run.pool())), fleet.poolName(run.pool()), run.borrowed(), shares,
                    run.nodes().length == 0 ? null : fleet.siteName(fleet.siteOfNode(run.nodes()[0])), null);
        }
        boolean pending = j.state() == JobState.PENDING;
        Verdicts.Verdict v = pending ? engine.verdict(j) : null;
        String reason = pending ? v.reason().name() : null;
        String detail = pending ? v.detail() : null;
        if (pending && sites != null && v.reason().waitsForGpus()) {
            String silent = sites.unreachableHolding(j, s);
            if (silent != null) {
                reason = SITE_UNREACHABLE;
                detail = silent + "; " + detail;
            }
        }
        List<String> models = Arrays.stream(j.allowedPools()).mapToObj(p -> fleet.models().get(fleet.modelOfPool(p))).distinct().toList();
        return new JobView(j.id(), spec.name(), spec.project(), spec.user(), spec.award(), j.state().name(), spec.priorityClass(),
                j.totalGpus(), spec.members(), spec.gpusPerMember(), models, spec.level().name().toLowerCase(java.util.Locale.ROOT),
                spec.levelRequired(), j.walltime(), spec.runtime(), j.preemptible(), spec.requeue(), time(j.submitTime()),
                time(j.startTime()), j.state().isFinal() ? time(j.endTime()) : null,
                reason, detail,
                pending ? time(v.estimatedStart()) : null, placement, j.runs(), Charges.ofJob(j, now) / 3600.0,
                j.lastOutcome() == null ? null : j.lastOutcome().name(), spec.gpuMilli(), spec.cpuMilli(), spec.memoryMib(),
                pending && v.estimatedStart() >= 0 ? EstimateMove.of(engine.verdicts().move(j)) : null);
    }

    /**
     * The reason a job waiting for GPUs shows while a site holding GPUs it may use does not answer (the engine's own
     * reason, about capacity, follows in the detail).
     */
    static final String SITE_UNREACHABLE = "SITE_UNREACHABLE";

    /** The answer to a submission (like sbatch's "Submitted batch job"): the full view is at its Location. */
    record JobAck(String id, String name, String state, String pendingReason, String estimatedStart, String model, int nodes) {}

    /** The answer to a submission the engine just decided. */
    static JobAck ack(Result.Submitted s, Engine engine) {
        Job j = s.job();
        boolean running = s.state() == JobState.RUNNING;
        return new JobAck(j.id(), j.spec().name(), s.state().name(), s.reason() == null ? null : s.reason().name(),
                s.state() == JobState.PENDING ? time(s.estimatedStart()) : null,
                running ? modelOf(engine, j) : null, running ? j.nodes().length : 0);
    }

    private static String modelOf(Engine engine, Job j) {
        Fleet f = engine.state().fleet();
        return f.models().get(f.modelOfPool(j.pool()));
    }

    /** The answer to a retried submission: the job its first attempt made, as it is now. */
    static JobAck ack(Job j, Engine engine) {
        boolean running = j.state() == JobState.RUNNING;
        Verdicts.Verdict v = j.state() == JobState.PENDING ? engine.verdict(j) : null;
        return new JobAck(j.id(), j.spec().name(), j.state().name(), v != null ? v.reason().name() : null,
                v != null ? time(v.estimatedStart()) : null,
                running ? modelOf(engine, j) : null, running ? j.nodes().length : 0);
    }

    /** {@code reason}: why it is drained, down or retired, as said (null when up or not said). */
    record NodeView(String name, String site, String block, String rack, String owner, String model, int gpus, int free, String health,
                    boolean reserved, String reason) {}

    static NodeView node(StateView s, int n) {
        Fleet f = s.fleet();
        return new NodeView(f.nodeName(n), f.siteName(f.siteOfNode(n)), f.blockName(f.blockOfNode(n)), f.rackName(f.rackOfNode(n)),
                f.ownerOfBlock(f.blockOfNode(n)), f.models().get(f.modelOfNode(n)), f.nodeGpus(n), s.capacity().free(n),
                s.capacity().health(n).name(), s.capacity().reserved(n), s.reason(n));
    }

    /**
     * A pool as shown: its GPUs (retired nodes' left it), what quotas and active dedicated awards guarantee on it, GPUs running jobs of its owner's
     * line ({@code usedByOwner}) and of others ({@code lent}: borrowed, or guaranteed by a dedicated award), free GPUs now.
     */
    record PoolView(String name, String model, String owner, long gpus, long guaranteed, long usedByOwner, long lent, long free) {}

    static List<PoolView> pools(StateView s) {
        Fleet f = s.fleet();
        long[] guaranteed = new long[f.poolCount()];
        long[] own = new long[f.poolCount()];
        long[] lent = new long[f.poolCount()];
        for (int p = 0; p < f.poolCount(); p++) {
            for (int t = 0; t < s.tenants().size(); t++) guaranteed[p] += s.quota().nominal(t, p) + s.quota().extra(t, p);
        }
        for (Job j : s.running().byDeadline()) {
            if (s.pools().owns(j.project(), j.pool())) own[j.pool()] += j.totalGpus(); else lent[j.pool()] += j.totalGpus();
        }
        List<PoolView> out = new ArrayList<>();
        for (int p = 0; p < f.poolCount(); p++) {
            out.add(new PoolView(f.poolName(p), f.models().get(f.modelOfPool(p)), f.ownerOfPool(p), s.pools().gpus(p), guaranteed[p], own[p], lent[p],
                    s.capacity().freeGpus(p, true)));
        }
        return out;
    }

    /** A tenant's quota on one pool (an owner's GPUs of one model). */
    record QuotaView(String pool, String owner, String model, int nominal, int borrowingLimit, int lendingLimit, int awarded, long guaranteed,
                     long used, long borrowed) {}

    record TenantView(String name, String parent, boolean project, double weight, List<QuotaView> quotas,
                      double decayedGpuHours, double chargedGpuHours, PolicyView policy, PolicyView effectivePolicy, boolean retired) {}

    /**
     * A tenant policy as shown: null fields are inherited ({@code policy}) or unset anywhere above ({@code effectivePolicy});
     * {@code classes}: priority class → the longest walltime in hours (0 = the class's own).
     */
    record PolicyView(Boolean awardRequired, Boolean unawardedScavengers, java.util.Map<String, Double> classes) {}

    static PolicyView policy(kr.nuri.core.tenancy.TenantPolicy p) {
        java.util.Map<String, Double> classes = null;
        if (p.classes() != null) {
            classes = new java.util.TreeMap<>();
            for (var e : p.classes().entrySet()) classes.put(e.getKey(), e.getValue() / 3600.0);
        }
        return new PolicyView(p.awardRequired(), p.unawardedScavengers(), classes);
    }

    static TenantView tenant(StateView s, int t, Charges charges) {
        var tree = s.tenants();
        var q = s.quota();
        List<QuotaView> quotas = new ArrayList<>();
        Fleet f = s.fleet();
        for (int m = 0; m < f.poolCount(); m++) {
            if (q.subtreeQuota(t, m) == 0 && q.used(t, m) == 0 && q.nominal(t, m) == 0) continue;
            quotas.add(new QuotaView(f.poolName(m), f.ownerOfPool(m), f.models().get(f.modelOfPool(m)), q.nominal(t, m), q.borrowingLimit(t, m), q.lendingLimit(t, m),
                    q.extra(t, m), q.guaranteed(t, m), q.used(t, m), q.borrowed(t, m)));
        }
        double decayed = tree.isLeaf(t) ? s.fairShare().decayedUsage(t, s.now()) / 3600.0 : 0;
        return new TenantView(tree.name(t), tree.parent(t) < 0 ? null : tree.name(tree.parent(t)), tree.isLeaf(t),
                tree.share(t), quotas, decayed, charges.ofTenant(t) / 3600.0, policy(s.policies().own(t)), policy(s.policies().effective(t)),
                s.policies().retired(t));
    }

    /**
     * An award as shown: {@code usedGpuHours} charged so far, its running jobs up to now included (as {@code /usage}
     * counts them); {@code committedGpuHours} what those jobs may still use, up to their walltimes; {@code leftGpuHours}
     * what new jobs may still have (the figure a waiting job's reason gives).
     */
    record AwardView(String id, String tenant, String kind, String model, double budgetGpuHours, int gpus, String from,
                     String to, boolean active, double usedGpuHours, double committedGpuHours, double leftGpuHours) {}

    static AwardView award(StateView s, int a, long now, Charges charges) {
        var spec = s.awards().get(a);
        long used = charges.ofAward(a);
        long committed = s.awards().used(a) + s.awards().committed(a) - used; // promised to running jobs and not yet used
        return new AwardView(spec.id(), spec.tenant(), spec.kind().name(), spec.model(), spec.budgetGpuSeconds() / 3600.0,
                spec.gpus(), time(spec.from()), time(spec.to()), spec.activeAt(now), used / 3600.0, committed / 3600.0,
                Math.max(0, s.awards().headroom(a)) / 3600.0);
    }
}

package kr.nuri.core.engine;

import java.util.List;

import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.engine.Rejection.Code;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.PriorityClass;
import kr.nuri.core.state.State;
import kr.nuri.core.tenancy.Pools;
import kr.nuri.core.tenancy.QuotaSpec;

/** Checks a command against the state before anything happens; returns the first problem found, or null. */
final class CommandValidator {
    static final int MAX_ID_LENGTH = 200;
    static final int MAX_MEMBERS = 100_000;
    private final State state;
    private final Fleet fleet;
    private final long[][] largestDomain;

    private final TenantRules tenants;
    private final FleetRules fleetRules;
    private final JobRules jobs;

    CommandValidator(State state) {
        this.state = state;
        this.tenants = new TenantRules(state);
        this.fleetRules = new FleetRules(state);
        this.jobs = new JobRules(state);
        this.fleet = state.fleet();
        largestDomain = new long[Level.values().length][fleet.poolCount()];
        for (int n = 0; n < fleet.nodeCount(); n++) {
            int m = fleet.poolOfNode(n);
            largestDomain[Level.NODE.ordinal()][m] = Math.max(largestDomain[Level.NODE.ordinal()][m], fleet.nodeGpus(n));
        }
        for (Level l : new Level[] {Level.RACK, Level.BLOCK, Level.SITE, Level.FLEET}) {
            java.util.Map<Integer, Long> sums = new java.util.HashMap<>();
            for (int n = 0; n < fleet.nodeCount(); n++) sums.merge(fleet.domainOf(l, n), (long) fleet.nodeGpus(n), Long::sum);
            for (var e : sums.entrySet()) {
                int m = l == Level.FLEET ? e.getKey()
                        : l == Level.SITE ? e.getKey() % fleet.poolCount()
                        : l == Level.BLOCK ? fleet.poolOfBlock(e.getKey()) : fleet.poolOfBlock(fleet.blockOfRack(e.getKey()));
                largestDomain[l.ordinal()][m] = Math.max(largestDomain[l.ordinal()][m], e.getValue());
            }
        }
    }

    Rejection validate(Command command) {
        if (command == null) return Rejection.of(Code.INVALID_VALUE, "command", null, "no command given");
        if (command.time() < state.now()) {
            return Rejection.of(Code.TIME_WENT_BACKWARDS, "time", command.time(),
                    "time " + command.time() + " is before the engine's time " + state.now() + ". Maybe a clock skew between clients?");
        }
        return switch (command) {
            case Command.SubmitJob c -> submit(c.spec(), c.time());
            case Command.CancelJob c -> jobs.cancel(c);
            case Command.HoldJob c -> jobs.hold(c);
            case Command.SetWalltime c -> jobs.walltime(c);
            case Command.RequeueJob c -> jobs.requeue(c);
            case Command.JobFinished c -> jobs.finished(c);
            case Command.NodeDown c -> fleetRules.live(c.node());
            case Command.NodeUp c -> fleetRules.live(c.node());
            case Command.DrainNode c -> fleetRules.drain(c);
            case Command.RetireNode c -> fleetRules.retire(c.node());
            case Command.SetQuota c -> quota(c);
            case Command.SetTenantPolicy c -> tenants.policy(c);
            case Command.RetireTenant c -> tenants.retire(c);
            case Command.CreateTenant c -> tenants.create(c);
            case Command.AddBlock c -> fleetRules.add(c);
            case Command.SetBlockOwner c -> fleetRules.owner(c);
            case Command.GrantAward c -> grant(c.award());
            case Command.ReviseAward c -> revise(c);
            case Command.Tick c -> null;
        };
    }

    private Rejection tenant(String field, String tenant) {
        return state.tenants().index(tenant == null ? "" : tenant) < 0 ? Rejection.of(Code.UNKNOWN_TENANT, field, tenant,
                "no tenant '" + tenant + "' in the quota tree. Maybe check 'nuri quota'?") : null;
    }

    /** A GPU model, or a pool ({@code B200@naicc}) for one owner's GPUs of it. */
    private Rejection model(String field, String model) {
        String m = model == null ? "" : model;
        return fleet.modelIndex(m) < 0 && fleet.poolIndex(m) < 0 ? Rejection.of(Code.UNKNOWN_GPU_MODEL, field, model,
                "fleet '" + fleet.name() + "' has no GPU model '" + model + "'. Maybe one of " + fleet.models()
                + (fleet.pools().equals(fleet.models()) ? "" : ", or a pool: " + fleet.pools()) + "?") : null;
    }

    private Rejection submit(JobSpec s, long now) {
        if (s == null) return Rejection.of(Code.INVALID_VALUE, "spec", null, "no job given");
        if (s.id() == null || s.id().isBlank() || s.id().length() > MAX_ID_LENGTH) {
            return Rejection.of(Code.INVALID_VALUE, "id", s.id(), "job id must have 1 to " + MAX_ID_LENGTH + " characters");
        }
        if (state.job(s.id()) != null) {
            return Rejection.of(Code.DUPLICATE_JOB, "id", s.id(), "job '" + s.id() + "' exists already. Maybe pick a new id?");
        }
        if (s.submitKey() != null && state.jobBySubmitKey(s.user(), s.submitKey()) != null) {
            return Rejection.of(Code.DUPLICATE_JOB, "submitKey", s.submitKey(), "user " + s.user() + " submitted job '"
                    + state.jobBySubmitKey(s.user(), s.submitKey()).id() + "' with this key already. Maybe a new key for a new job?");
        }
        int project = state.tenants().index(s.project() == null ? "" : s.project());
        if (project < 0) {
            return Rejection.of(Code.UNKNOWN_PROJECT, "project", s.project(), "no project '" + s.project() + "'. Maybe check 'nuri quota'?");
        }
        if (!state.tenants().isLeaf(project)) {
            return Rejection.of(Code.NOT_A_PROJECT, "project", s.project(), "'" + s.project()
                    + "' is an organisation, not a project: jobs run in projects. Maybe one of its sub-projects?");
        }
        Rejection retired = tenants.retired(s, project);
        if (retired != null) return retired;
        if (s.members() < 1 || s.members() > MAX_MEMBERS) {
            return Rejection.of(Code.INVALID_VALUE, "members", s.members(), "members must be 1 to " + MAX_MEMBERS);
        }
        if (s.gpuMilli() < 0 || s.gpuMilli() > JobSpec.WHOLE_GPU) {
            return Rejection.of(Code.INVALID_VALUE, "gpuMilli", s.gpuMilli(), "gpuMilli must be 1 to 999 for a share of one GPU, or 0 for whole GPUs");
        }
        if (s.cpuMilli() < 0) return Rejection.of(Code.INVALID_VALUE, "cpuMilli", s.cpuMilli(), "cpuMilli must be 0 or more (thousandths of a core)");
        if (s.memoryMib() < 0) return Rejection.of(Code.INVALID_VALUE, "memoryMib", s.memoryMib(), "memoryMib must be 0 or more");
        if (s.gpusPerMember() < 0 || (s.gpusPerMember() == 0 && s.cpuMilli() == 0 && s.memoryMib() == 0)) {
            return Rejection.of(Code.INVALID_VALUE, "gpusPerMember", s.gpusPerMember(),
                    "gpusPerMember must be at least 1 (or 0 for a CPU-only job that asks for cpuMilli or memoryMib)");
        }
        if (s.sharing() && s.gpusPerMember() != 1) {
            return Rejection.of(Code.INVALID_VALUE, "gpusPerMember", s.gpusPerMember(), "a share (gpuMilli " + s.gpuMilli()
                    + ") is of one GPU: gpusPerMember must be 1");
        }
        if (s.nodeFit() && s.members() != 1) {
            return Rejection.of(Code.INVALID_VALUE, "members", s.members(), "a job asking for a GPU share, CPU or memory runs as one member "
                    + "on one node; gangs ask for whole GPUs only. Maybe members=1, or drop gpuMilli/cpuMilli/memoryMib?");
        }
        for (String m : s.models()) {
            Rejection r = model("models", m);
            if (r != null) return r;
        }
        int cls = state.config().classIndex(s.priorityClass() == null ? "" : s.priorityClass());
        if (cls < 0) {
            return Rejection.of(Code.UNKNOWN_PRIORITY_CLASS, "priorityClass", s.priorityClass(), "no priority class '"
                    + s.priorityClass() + "'. Maybe one of " + state.config().classes().stream().map(PriorityClass::name).toList() + "?");
        }
        PriorityClass pc = state.config().classes().get(cls);
        if (s.walltime() < 0 || s.walltime() > pc.maxWalltime()) {
            return Rejection.of(Code.WALLTIME_TOO_LONG, "walltime", s.walltime(), "walltime must be 0 (class default "
                    + pc.defaultWalltime() + " s) to " + pc.maxWalltime() + " s for class " + pc.name());
        }
        if (s.runtime() < 0) return Rejection.of(Code.INVALID_VALUE, "runtime", s.runtime(), "runtime must be 0 or more seconds");
        Rejection refused = tenants.submit(s, project, pc, now);
        if (refused != null) return refused;
        long walltime = s.walltime() == 0 ? pc.defaultWalltime() : s.walltime();
        List<String> asked = s.models();
        if (s.award() != null) {
            int a = state.awards().index(s.award());
            if (a < 0) return Rejection.of(Code.UNKNOWN_AWARD, "award", s.award(), "no award '" + s.award() + "'");
            AwardSpec award = state.awards().get(a);
            if (award.to() <= now) {
                // Its window is over: the job would wait forever (found by trying the product). Say so now.
                return Rejection.of(Code.INVALID_VALUE, "award", s.award(), "award " + s.award() + " ended at t=" + award.to()
                        + "; a job charging it can never start. Maybe another award, or ask its programme manager to extend it?");
            }
            if (!state.tenants().isWithin(project, state.tenants().index(award.tenant()))) {
                return Rejection.of(Code.AWARD_NOT_FOR_PROJECT, "award", s.award(), "award " + s.award() + " belongs to "
                        + award.tenant() + ", and project " + s.project() + " is not inside it");
            }
            long need = s.totalGpus() * walltime;
            if (award.kind() == AwardSpec.Kind.BUDGET && award.budgetGpuSeconds() - state.awards().used(a) < need) {
                return Rejection.of(Code.BUDGET_EXHAUSTED, "award", s.award(), "award " + s.award() + " has "
                        + (award.budgetGpuSeconds() - state.awards().used(a)) / 3600 + " GPU-hours left; this job may use " + need / 3600
                        + " (GPUs × walltime). Maybe a shorter walltime, or ask its programme manager for a top-up?");
            }
            if (award.model() != null) {
                if (s.models().isEmpty()) asked = List.of(award.model());
                if (!s.models().isEmpty() && s.models().stream().noneMatch(m -> fleet.covers(award.model(), m))) {
                    return Rejection.of(Code.AWARD_NOT_FOR_PROJECT, "models", s.models(), "award " + s.award() + " pays for "
                            + award.model() + " only. Maybe add " + award.model() + " to the job's GPU models?");
                }
            }
        }
        return fits(s, asked);
    }

    /** See {@link TenantRules#withCoveringAward}. */
    JobSpec withCoveringAward(JobSpec s, long now) {
        return tenants.withCoveringAward(s, now);
    }

    private Rejection fits(JobSpec s, List<String> asked) {
        long total = s.totalGpus();
        Level level = s.levelRequired() ? s.level() : Level.FLEET;
        long largest = 0;
        long largestNode = 0;
        int[] pools = state.pools().candidates(state.tenants().index(s.project()), asked);
        if (pools.length == 0) {
            return Rejection.of(Code.INVALID_VALUE, "models", asked, "project " + s.project() + " may run on no pool of " + asked
                    + ": each is owned inside an isolated tenant it is not part of (pools " + fleet.pools() + ")");
        }
        for (int m : pools) {
            largest = Math.max(largest, largestDomain[level.ordinal()][m]);
            largestNode = Math.max(largestNode, largestDomain[Level.NODE.ordinal()][m]);
        }
        if (s.nodeFit()) return nodeFits(s, pools);
        if (s.gpusPerMember() > largestNode) {
            return Rejection.of(Code.GANG_TOO_LARGE, "gpusPerMember", s.gpusPerMember(), "each member runs on one node, and the "
                    + "largest allowed node has " + largestNode + " GPUs. Maybe more members with fewer GPUs each?");
        }
        if (total > largest) {
            return Rejection.of(Code.GANG_TOO_LARGE, "gpus", total, "the job asks for " + total + " GPUs but the largest "
                    + (level == Level.FLEET ? "pool it may run on (a gang runs on one owner's GPUs of one model)" : level.label() + " it may use")
                    + " has " + largest + ". Maybe " + (level == Level.FLEET ? "" : "a wider topology level or ") + "fewer GPUs?");
        }
        return null;
    }

    /** A node-fit job must fit on some node of an allowed model when that node is empty. */
    private Rejection nodeFits(JobSpec s, int[] pools) {
        boolean gpus = false;
        boolean cpu = false;
        for (int m : pools) {
            for (int n : fleet.nodesOfPool(m)) {
                if (fleet.nodeGpus(n) < s.gpusPerMember()) continue;
                gpus = true;
                if ((fleet.nodeCpuMilli(n) == 0 || fleet.nodeCpuMilli(n) >= s.cpuMilli())
                        && (fleet.nodeMemoryMib(n) == 0 || fleet.nodeMemoryMib(n) >= s.memoryMib())) {
                    return null;
                }
                cpu = true;
            }
        }
        if (!gpus) {
            return Rejection.of(Code.GANG_TOO_LARGE, "gpusPerMember", s.gpusPerMember(), "no node of the allowed GPU models has "
                    + s.gpusPerMember() + " GPUs");
        }
        return Rejection.of(Code.GANG_TOO_LARGE, s.cpuMilli() > 0 ? "cpuMilli" : "memoryMib", s.cpuMilli() > 0 ? s.cpuMilli() : s.memoryMib(),
                "no node of the allowed GPU models has " + s.cpuMilli() + " mCPU and " + s.memoryMib() + " MiB" + (cpu ? " with its GPUs" : ""));
    }

    private Rejection quota(Command.SetQuota c) {
        Rejection r = tenant("tenant", c.tenant());
        if (r == null) r = pool("model", state.tenants().index(c.tenant()), c.model(), c.nominal() > 0);
        if (r != null) return r;
        try {
            new QuotaSpec(c.model(), c.nominal(), c.borrowingLimit(), c.lendingLimit());
        } catch (IllegalArgumentException e) {
            String field = c.nominal() < 0 ? "nominal" : c.borrowingLimit() < -1 ? "borrowingLimit" : "lendingLimit";
            Object value = c.nominal() < 0 ? c.nominal() : c.borrowingLimit() < -1 ? c.borrowingLimit() : c.lendingLimit();
            return Rejection.of(Code.INVALID_VALUE, field, value, e.getMessage());
        }
        return quotaFits(c);
    }

    /**
     * Guaranteed quota a fleet can honour: not on the root (it holds the whole fleet), at most what the fleet's GPUs of the
     * model could ever run at once (quota counts a share of a GPU as one GPU, so jobs sharing GPUs may need more quota
     * than there are GPUs: the bound is one job per thousandth of every GPU; a bound on whole GPUs waits for quota
     * counted in thousandths), within the parent's guarantee when the parent has one, and not below a child's.
     */
    private Rejection quotaFits(Command.SetQuota c) {
        var tenants = state.tenants();
        int t = tenants.index(c.tenant());
        int m = state.pools().resolve(t, c.model());
        if (tenants.parent(t) < 0) {
            return Rejection.of(Code.INVALID_VALUE, "tenant", c.tenant(), "'" + c.tenant() + "' is the root of the quota tree: it holds the"
                    + " whole fleet. Maybe set the quota on a sector, organisation or project below it?");
        }
        long capacity = fleet.gpusOfPool(m);
        if (c.nominal() > capacity * JobSpec.WHOLE_GPU) {
            return Rejection.of(Code.INVALID_VALUE, "nominal", c.nominal(), "a guarantee of " + c.nominal() + " " + c.model()
                    + " GPUs is more than the fleet's " + capacity + " could ever run, even as shares of a thousandth ("
                    + capacity * JobSpec.WHOLE_GPU + ")");
        }
        String over = c.nominal() <= state.quota().nominal(t, m) ? null : state.pools().overCommitted(m,
                Pools.byQuota(state.quota(), m, t, c.nominal()), state.pools().dedicatedPeak(state.awards().specs(), m, state.now(), Long.MAX_VALUE, null));
        if (over != null) return Rejection.of(Code.INVALID_VALUE, "nominal", c.nominal(), "a guarantee of " + c.nominal() + " for '" + c.tenant() + "': " + over);
        int parent = tenants.parent(t);
        int parentNominal = state.quota().nominal(parent, m);
        if (parentNominal > 0 && c.nominal() > parentNominal) {
            return Rejection.of(Code.INVALID_VALUE, "nominal", c.nominal(), "a guarantee of " + c.nominal() + " " + c.model() + " GPUs for '"
                    + c.tenant() + "' does not fit its parent '" + tenants.name(parent) + "', which is guaranteed " + parentNominal);
        }
        if (c.nominal() > 0) {
            for (int child : tenants.children(t)) {
                int childNominal = state.quota().nominal(child, m);
                if (childNominal > c.nominal()) {
                    return Rejection.of(Code.INVALID_VALUE, "nominal", c.nominal(), "'" + tenants.name(child) + "', below '" + c.tenant()
                            + "', is guaranteed " + childNominal + " " + c.model() + " GPUs: its parent's guarantee cannot be smaller");
                }
            }
        }
        return null;
    }

    private Rejection grant(AwardSpec a) {
        if (a == null) return Rejection.of(Code.INVALID_VALUE, "award", null, "no award given");
        if (state.awards().index(a.id()) >= 0) {
            return Rejection.of(Code.DUPLICATE_AWARD, "id", a.id(), "award '" + a.id() + "' exists already. Maybe revise it instead?");
        }
        Rejection r = tenant("tenant", a.tenant());
        if (r != null || a.model() == null) return r;
        if (a.kind() == AwardSpec.Kind.BUDGET) return model("model", a.model());
        // A dedicated award is guaranteed capacity on one pool: named, or the pool of its model the tenant's line owns.
        r = pool("model", state.tenants().index(a.tenant()), a.model(), false);
        if (r != null) return r;
        return dedicatedFits(a, a.to(), null);
    }

    /** Whether a dedicated award (its window ending at {@code to}) fits what its pool can still guarantee. */
    private Rejection dedicatedFits(AwardSpec a, long to, String except) {
        int p = state.pools().resolve(state.tenants().index(a.tenant()), a.model());
        java.util.List<AwardSpec> all = new java.util.ArrayList<>(state.awards().specs());
        all.removeIf(x -> x.id().equals(a.id()));
        all.add(new AwardSpec(a.id(), a.tenant(), a.kind(), a.model(), a.budgetGpuSeconds(), a.gpus(), a.from(), to));
        String over = state.pools().overCommitted(p, Pools.byQuota(state.quota(), p, -1, 0),
                state.pools().dedicatedPeak(all, p, Math.max(a.from(), state.now()), to, except));
        return over == null ? null : Rejection.of(Code.INVALID_VALUE, "gpus", a.gpus(), "a dedicated award of " + a.gpus() + " GPUs on " + over);
    }

    /**
     * A GPU model or pool named for a tenant's guarantee: it must exist and resolve to one pool, which the tenant's line
     * must own (or own inside it) when {@code mustClaim}.
     */
    private Rejection pool(String field, int tenant, String name, boolean mustClaim) {
        if (name == null || fleet.modelIndex(name) < 0 && fleet.poolIndex(name) < 0) {
            return Rejection.of(Code.UNKNOWN_GPU_MODEL, field, name, "fleet '" + fleet.name() + "' has no GPU model or pool '" + name
                    + "'. Maybe one of " + fleet.models() + " or " + fleet.pools() + "?");
        }
        int p;
        try {
            p = state.pools().resolve(tenant, name);
        } catch (IllegalArgumentException e) {
            return Rejection.of(Code.INVALID_VALUE, field, name, e.getMessage());
        }
        if (mustClaim && !state.pools().mayClaim(tenant, p)) {
            return Rejection.of(Code.INVALID_VALUE, field, name, "pool " + fleet.poolName(p) + " belongs to " + fleet.ownerOfPool(p) + ", outside '"
                    + state.tenants().name(tenant) + "''s line: guaranteed quota is a claim on GPUs the tenant's line owns. Maybe a"
                    + " dedicated award granted by " + fleet.ownerOfPool(p) + "?");
        }
        return null;
    }

    private Rejection revise(Command.ReviseAward c) {
        int a = state.awards().index(c.awardId() == null ? "" : c.awardId());
        if (a < 0) return Rejection.of(Code.UNKNOWN_AWARD, "awardId", c.awardId(), "no award '" + c.awardId() + "'");
        AwardSpec s = state.awards().get(a);
        if (c.to() <= s.from()) {
            return Rejection.of(Code.INVALID_VALUE, "to", c.to(), "award " + s.id() + " would end before it starts (from=" + s.from() + ")");
        }
        // Running jobs were admitted against GPUs x walltime; a cut below that would let them overspend the award.
        long used = state.awards().used(a);
        long committed = state.awards().committed(a);
        if (s.kind() == AwardSpec.Kind.BUDGET && c.budgetGpuSeconds() < used + committed) {
            return Rejection.of(Code.INVALID_VALUE, "budgetGpuSeconds", c.budgetGpuSeconds(), "award " + s.id() + " has used " + used
                    + " GPU-seconds and its running jobs may still use " + committed + "; a clawback cannot go below " + (used + committed)
                    + ". Maybe cut it to that, or cancel the running jobs first?");
        }
        if (s.kind() == AwardSpec.Kind.DEDICATED && (long) s.gpus() * (c.to() - s.from()) < used + committed) {
            return Rejection.of(Code.INVALID_VALUE, "to", c.to(), "award " + s.id() + " has used " + used
                    + " GPU-seconds and its running jobs may still use " + committed + "; a window ending at " + c.to()
                    + " pays for only " + (long) s.gpus() * (c.to() - s.from()) + ". Maybe end it after its running jobs?");
        }
        if (s.kind() == AwardSpec.Kind.DEDICATED && c.to() > s.to()) {
            Rejection r = dedicatedFits(s, c.to(), null);
            if (r != null) return Rejection.of(Code.INVALID_VALUE, "to", c.to(), "extending award " + s.id() + ": " + r.message());
        }
        return null;
    }
}

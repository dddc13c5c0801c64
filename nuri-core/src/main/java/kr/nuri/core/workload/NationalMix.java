package kr.nuri.core.workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.PriorityClass;
import kr.nuri.core.tenancy.Pools;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantPolicy;
import kr.nuri.core.tenancy.TenantSpec;
import kr.nuri.core.tenancy.TenantTree;

/**
 * The one national workload generator: the simulator's {@code national} experiment and {@code nuri bench schedule}
 * both draw their jobs here, each with its {@link MixProfile}. Pure and seeded: the same config, profile and seed give
 * the same jobs.
 *
 * <p>Each job goes to a project and one of its quotas with probability proportional to the quota's nominal GPUs, runs
 * on the GPU model of the pool that quota claims, and is of one of the profile's {@link JobKind kinds}, drawn by share
 * (a kind the quota cannot hold — too small, or not a model it runs on — passes its share to the next kind). Its size
 * is a power of two in the kind's range, halved until it fits the quota and the largest site holding the pool; it runs
 * in members of at most a node's GPUs. Its runtime is log-uniform in the kind's range and its walltime the runtime
 * times a factor drawn in the profile's range, capped by the class's and the tenant policy's longest walltime. Its
 * class is the kind's where the project's policy allows it, else training, else scavenger.
 *
 * <p>With {@code gained} (the models a what-if gives a tenant), a job of a portable kind of a project under that
 * tenant may also run on those models, after its own; the draws do not depend on {@code gained}.
 */
public final class NationalMix {
    private record Slot(String project, String model, int quota, int nodeGpus, long siteMax) {}

    private final EngineConfig config;
    private final MixProfile profile;
    private final SplittableRandom random;
    private final List<Slot> slots = new ArrayList<>();
    private final double[] cumulative;
    private final Map<String, Integer> nodeGpusOfModel = new HashMap<>();
    private final Map<String, List<String>> gainedByProject = new HashMap<>();
    private final Map<String, TenantPolicy> policies = new HashMap<>();
    private final Map<String, Long> classMaxWalltime = new HashMap<>();

    public NationalMix(EngineConfig config, MixProfile profile, long seed) {
        this(config, profile, seed, Map.of());
    }

    public NationalMix(EngineConfig config, MixProfile profile, long seed, Map<String, Set<String>> gained) {
        this.config = config;
        this.profile = profile;
        this.random = new SplittableRandom(seed);
        Fleet fleet = config.fleet();
        TenantTree tree = new TenantTree(config.tenants());
        Pools pools = new Pools(fleet, tree);
        Map<String, String> parent = new HashMap<>();
        for (TenantSpec t : config.tenants()) parent.put(t.name(), t.parent());
        for (TenantSpec t : config.tenants()) {
            for (QuotaSpec q : t.quotas()) {
                if (q.nominal() <= 0) continue;
                int p = pools.resolve(tree.index(t.name()), q.model()); // the pool the quota claims: the project's jobs run there
                slots.add(new Slot(t.name(), fleet.models().get(fleet.modelOfPool(p)), q.nominal(), nodeGpus(fleet, p), largestSite(fleet, p)));
                gainedByProject.computeIfAbsent(t.name(), n -> gainedBy(n, parent, gained));
            }
        }
        if (slots.isEmpty()) throw new IllegalArgumentException("fleet '" + fleet.name() + "' gives no project any quota to run jobs on");
        cumulative = new double[slots.size()];
        double sum = 0;
        for (int i = 0; i < slots.size(); i++) {
            sum += slots.get(i).quota();
            cumulative[i] = sum;
        }
        for (int n = 0; n < fleet.nodeCount(); n++) nodeGpusOfModel.merge(fleet.models().get(fleet.modelOfNode(n)), fleet.nodeGpus(n), Math::max);
        for (PriorityClass c : config.classes()) classMaxWalltime.put(c.name(), c.maxWalltime());
    }

    /** The next job of the mix, named {@code id}. */
    public JobSpec next(String id) {
        double pick = random.nextDouble() * cumulative[cumulative.length - 1];
        int i = 0;
        while (cumulative[i] < pick) i++;
        Slot slot = slots.get(i);
        JobKind kind = kindFor(slot, random.nextDouble());
        int gpus = kind.minGpus() << (kind.maxGpus() > kind.minGpus()
                ? random.nextInt(Integer.numberOfTrailingZeros(kind.maxGpus() / kind.minGpus()) + 1) : 0);
        while (gpus > 1 && (gpus > slot.quota() || gpus > slot.siteMax())) gpus /= 2;
        int perMember = Math.max(1, Math.min(gpus, slot.nodeGpus()));
        int members = Math.max(1, gpus / perMember);
        long runtime = logUniform(kind.minRuntime(), kind.maxRuntime());
        double factor = profile.walltimeFactorMax() > profile.walltimeFactorMin()
                ? profile.walltimeFactorMin() + (profile.walltimeFactorMax() - profile.walltimeFactorMin()) * random.nextDouble()
                : profile.walltimeFactorMin();
        TenantPolicy policy = policies.computeIfAbsent(slot.project(), config::policyOf);
        String cls = policy.classFor(kind.priorityClass(), "training", "scavenger");
        if (cls == null) throw new IllegalArgumentException("project " + slot.project() + " may use neither class '" + kind.priorityClass()
                + "' of the mix's " + kind.name() + " jobs nor training or scavenger: " + policy.classes().keySet());
        Long classMax = classMaxWalltime.get(cls);
        if (classMax == null) throw new IllegalArgumentException("the fleet has no priority class '" + cls + "' the national mix needs");
        long walltime = policy.capWalltime(cls, Math.min(Math.round(runtime * factor), classMax));
        JobSpec.Builder b = JobSpec.builder(id, slot.project()).gang(members, perMember).models(models(slot, kind, perMember))
                .priorityClass(cls).walltime(walltime).runtime(Math.min(runtime, walltime));
        if (kind.preemptibleShare() > 0 && random.nextDouble() < kind.preemptibleShare()) b.preemptible(true);
        if (profile.topologyHints()) hint(b, slot, members, gpus);
        return b.build();
    }

    /** The kind a draw {@code u} in [0, 1) picks for the slot: a kind the slot's model claims outright, else by share. */
    private JobKind kindFor(Slot slot, double u) {
        for (JobKind k : profile.kinds()) if (k.modelPrefix() != null && slot.model().startsWith(k.modelPrefix())) return k;
        double x = 0;
        JobKind last = null;
        for (JobKind k : profile.kinds()) {
            if (k.modelPrefix() != null) continue;
            x += k.share();
            last = k;
            if (u < x && fits(k, slot)) return k;
        }
        return last;
    }

    private static boolean fits(JobKind k, Slot slot) {
        return slot.quota() >= k.minQuota() && !k.excludedModels().contains(slot.model());
    }

    private String[] models(Slot slot, JobKind kind, int perMember) {
        List<String> extra = gainedByProject.getOrDefault(slot.project(), List.of());
        if (!kind.portable() || extra.isEmpty()) return new String[] {slot.model()};
        List<String> out = new ArrayList<>(List.of(slot.model()));
        for (String m : extra) if (!m.equals(slot.model()) && nodeGpusOfModel.getOrDefault(m, 0) >= perMember) out.add(m);
        return out.toArray(String[]::new);
    }

    /** Where a gang should run: one node anywhere, a site for the largest, an NVLink rack for what fits one, else a block if it can. */
    private static void hint(JobSpec.Builder b, Slot slot, int members, int gpus) {
        if (members == 1) {
            b.within(Level.FLEET);
        } else if (gpus >= 1024) {
            b.within(Level.SITE);
        } else if (slot.nodeGpus() == 4 && gpus <= 72 && slot.model().startsWith("GB")) {
            b.within(Level.RACK);
        } else {
            b.prefer(Level.BLOCK);
        }
    }

    /** The models gained by a project or any of its ancestors, datacenter GPUs only (not RTX simulation GPUs). */
    private static List<String> gainedBy(String project, Map<String, String> parent, Map<String, Set<String>> gained) {
        if (gained.isEmpty()) return List.of();
        Set<String> out = new TreeSet<>();
        for (String t = project; t != null; t = parent.get(t)) {
            for (String m : gained.getOrDefault(t, Set.of())) if (!m.startsWith("RTX")) out.add(m);
        }
        return List.copyOf(out);
    }

    private static int nodeGpus(Fleet fleet, int pool) {
        int g = 0;
        for (int n : fleet.nodesOfPool(pool)) g = Math.max(g, fleet.nodeGpus(n));
        return g;
    }

    private static long largestSite(Fleet fleet, int pool) {
        long best = 0;
        for (int s = 0; s < fleet.siteCount(); s++) {
            long gpus = 0;
            for (int b : fleet.blocksOfSitePool(s, pool)) gpus += fleet.gpusOfBlock(b);
            best = Math.max(best, gpus);
        }
        return best;
    }

    private long logUniform(long min, long max) {
        return Math.round(Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min))));
    }
}

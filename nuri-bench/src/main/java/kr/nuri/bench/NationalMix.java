package kr.nuri.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;

/**
 * The benchmark's job mix on any fleet: ~70% jobs of 1–8 GPUs, ~25% gangs of 16–512, ~5% gangs of
 * 1,024–8,192, each for a project and GPU model drawn in proportion to the project's quota (and never larger
 * than that quota, so every job can run eventually). Classes: 5% inference, 85% training (10% of it
 * preemptible), 10% scavenger (preemptible): about 18.5% of jobs preemptible. Runtimes are log-uniform (minutes to days by size); walltimes 1.1–2× runtime.
 */
public final class NationalMix {
    private record Slot(String project, String model, int quota, int nodeGpus, long siteMax) {}

    private final SplittableRandom random;
    private final List<Slot> slots = new ArrayList<>();
    private final double[] cumulative;
    private final Fleet fleet;
    private final long[] maxWalltime;
    private final java.util.Map<String, kr.nuri.core.tenancy.TenantPolicy> policies = new java.util.HashMap<>();

    private final EngineConfig config;

    public NationalMix(EngineConfig config, long seed) {
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.fleet = config.fleet();
        var tree = new kr.nuri.core.tenancy.TenantTree(config.tenants());
        var pools = new kr.nuri.core.tenancy.Pools(fleet, tree);
        for (TenantSpec t : config.tenants()) {
            for (QuotaSpec q : t.quotas()) {
                if (q.nominal() <= 0) continue;
                int p = pools.resolve(tree.index(t.name()), q.model()); // the pool the quota is on: the project's jobs run there
                slots.add(new Slot(t.name(), fleet.models().get(fleet.modelOfPool(p)), q.nominal(), nodeGpus(p), largestSite(p)));
            }
        }
        if (slots.isEmpty()) throw new IllegalArgumentException("fleet '" + fleet.name() + "' gives no project any quota to run jobs on");
        cumulative = new double[slots.size()];
        double sum = 0;
        for (int i = 0; i < slots.size(); i++) {
            sum += slots.get(i).quota();
            cumulative[i] = sum;
        }
        maxWalltime = config.classes().stream().mapToLong(c -> c.maxWalltime()).toArray();
    }

    private int nodeGpus(int pool) {
        int g = 0;
        for (int n : fleet.nodesOfPool(pool)) g = Math.max(g, fleet.nodeGpus(n));
        return g;
    }

    private long largestSite(int pool) {
        long best = 0;
        for (int s = 0; s < fleet.siteCount(); s++) {
            long gpus = 0;
            for (int b : fleet.blocksOfSitePool(s, pool)) gpus += fleet.gpusOfBlock(b);
            best = Math.max(best, gpus);
        }
        return best;
    }

    /** The next job of the mix. */
    public JobSpec next(String id) {
        double pick = random.nextDouble() * cumulative[cumulative.length - 1];
        int i = 0;
        while (cumulative[i] < pick) i++;
        Slot slot = slots.get(i);
        double u = random.nextDouble();
        int gpus;
        long minRuntime;
        long maxRuntime;
        if (u < 0.70) {
            gpus = 1 << random.nextInt(4);
            minRuntime = 300;
            maxRuntime = 24 * 3600;
        } else if (u < 0.95) {
            gpus = 16 << random.nextInt(6);
            minRuntime = 1800;
            maxRuntime = 48 * 3600;
        } else {
            gpus = 1024 << random.nextInt(4);
            minRuntime = 6 * 3600;
            maxRuntime = 72 * 3600;
        }
        while (gpus > slot.quota() || gpus > slot.siteMax()) gpus /= 2;
        gpus = Math.max(1, gpus);
        int g = Math.min(gpus, slot.nodeGpus());
        int members = gpus / g;
        double c = random.nextDouble();
        String drawn = c < 0.05 ? "inference" : c < 0.90 ? "training" : "scavenger";
        // The classes the project's policy allows, for as long as it allows (the draws do not move).
        var policy = policies.computeIfAbsent(slot.project(), config::policyOf);
        String cls = policy.classFor(drawn, "training", "scavenger");
        int clsIndex = cls.equals("inference") ? 0 : cls.equals("training") ? 1 : 2;
        long runtime = (long) (minRuntime * Math.pow((double) maxRuntime / minRuntime, random.nextDouble()));
        long cap = clsIndex < maxWalltime.length ? maxWalltime[clsIndex] : Long.MAX_VALUE;
        long walltime = policy.capWalltime(cls, Math.min(cap, (long) (runtime * (1.1 + 0.9 * random.nextDouble()))));
        runtime = Math.min(runtime, walltime);
        JobSpec.Builder b = JobSpec.builder(id, slot.project()).gang(members, g).models(slot.model())
                .priorityClass(cls).walltime(walltime).runtime(runtime);
        if (drawn.equals("training") && random.nextDouble() < 0.1) b.preemptible(true);
        if (members == 1) {
            b.within(Level.FLEET);
        } else if (gpus >= 1024) {
            b.within(Level.SITE);
        } else if (slot.nodeGpus() == 4 && gpus <= 72 && slot.model().startsWith("GB")) {
            b.within(Level.RACK);
        } else {
            b.prefer(Level.BLOCK);
        }
        return b.build();
    }
}

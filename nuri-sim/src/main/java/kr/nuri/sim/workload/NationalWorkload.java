package kr.nuri.sim.workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import kr.nuri.sim.Arrival;

/**
 * A national mix on a fleet with a quota tree (korea-2025 by default). A job goes to a project with probability
 * proportional to its nominal quota, on one of the project's GPU models (again by quota), and is one of:
 * <ul>
 * <li>foundation-model pretraining (1% of jobs, only for organisations that own B200/GB200/H200 capacity
 *     of at least 256 GPUs): 256–8,192 GPUs (a power of two within the project's quota), 1–7 days;
 * <li>fine-tuning (14%): 8–128 GPUs, 2–24 h;
 * <li>batch inference (55%, class {@code inference}): 1–8 GPUs, 10 min–4 h;
 * <li>development and evaluation (30%): 1–8 GPUs, 30 min–8 h;
 * <li>on RTX-PRO-6000 (physical-AI simulation) every job is a simulation: 1–8 GPUs, 1–12 h; the startup pool
 *     runs at most 16 GPUs per job.
 * </ul>
 * Durations are log-uniform in their range; walltime = 1.5 × runtime (users overestimate), capped by the class.
 * Poisson arrivals at the rate that offers {@code load} × the fleet's GPUs of work (from the drawn jobs' mean).
 *
 * <p>With {@code gained} (the models a what-if gives a tenant, {@code WhatIf.modelsGained}), the portable jobs
 * of a project under that tenant (fine-tuning, inference, development: not pretraining gangs, not simulation)
 * may also run on those models, after their own: the same arrivals then run without and with the change, and
 * a new kind of GPU for a programme is used when it comes. The draws do not depend on {@code gained}.
 */
public final class NationalWorkload {
    private NationalWorkload() { }

    public static List<Arrival> generate(EngineConfig config, int jobs, double load, long seed) {
        return generate(config, jobs, load, seed, Map.of());
    }

    public static List<Arrival> generate(EngineConfig config, int jobs, double load, long seed, Map<String, Set<String>> gained) {
        if (jobs < 0) throw new IllegalArgumentException("jobs=" + jobs + " must not be negative");
        if (!(load > 0)) throw new IllegalArgumentException("load=" + load + " must be positive. Maybe 0.8?");
        Fleet fleet = config.fleet();
        Map<String, Integer> perNode = new HashMap<>();
        for (int n = 0; n < fleet.nodeCount(); n++) perNode.merge(fleet.models().get(fleet.modelOfNode(n)), fleet.nodeGpus(n), Math::max);
        List<String> projects = config.projects();
        List<TenantSpec> leaves = config.tenants().stream().filter(t -> projects.contains(t.name()) && !t.quotas().isEmpty()).toList();
        if (leaves.isEmpty()) throw new IllegalArgumentException("fleet " + fleet.name() + " has no project with a quota to submit to");
        double[] weight = new double[leaves.size()];
        double total = 0;
        for (int i = 0; i < weight.length; i++) {
            for (QuotaSpec q : leaves.get(i).quotas()) weight[i] += q.nominal();
            total += weight[i];
        }
        Map<String, String> parent = new HashMap<>();
        for (TenantSpec t : config.tenants()) parent.put(t.name(), t.parent());
        Map<String, List<String>> extra = new HashMap<>();
        for (TenantSpec leaf : leaves) extra.put(leaf.name(), gainedBy(leaf.name(), parent, gained));
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, kr.nuri.core.tenancy.TenantPolicy> policies = new HashMap<>();
        List<JobSpec> specs = new ArrayList<>(jobs);
        double gpuSeconds = 0;
        for (int i = 0; i < jobs; i++) {
            TenantSpec p = leaves.get(pick(weight, total, r));
            QuotaSpec q = pickQuota(p.quotas(), r);
            String model = q.model();
            int node = perNode.getOrDefault(model, 8);
            boolean startup = p.name().startsWith("startup");
            double u = r.nextDouble();
            int gpus;
            long runtime;
            String cls = "training";
            boolean portable = false;
            if (model.startsWith("RTX")) {
                gpus = 1 << r.nextInt(4);
                runtime = logUniform(r, 3600, 12 * 3600);
            } else if (u < 0.01 && !startup && q.nominal() >= 256 && !model.equals("H100") && !model.equals("GH200")) {
                int max = Math.min(8192, Integer.highestOneBit(q.nominal()));
                gpus = 1 << (8 + r.nextInt(Integer.numberOfTrailingZeros(max) - 7));
                runtime = logUniform(r, 86_400, 7 * 86_400);
            } else if (u < 0.15) {
                gpus = Math.min(startup ? 16 : 128, 8 << r.nextInt(5));
                runtime = logUniform(r, 2 * 3600, 24 * 3600);
                portable = true;
            } else if (u < 0.70) {
                gpus = 1 << r.nextInt(4);
                runtime = logUniform(r, 600, 4 * 3600);
                cls = "inference";
                portable = true;
            } else {
                gpus = 1 << r.nextInt(4);
                runtime = logUniform(r, 1800, 8 * 3600);
                portable = true;
            }
            gpus = Math.min(gpus, Integer.highestOneBit(Math.max(1, q.nominal())));
            int per = Math.min(gpus, node);
            // The classes the project's policy allows, for as long as it allows (batch inference runs as training where
            // a tenant may not use inference); drawn as before, so the other draws do not move.
            var policy = policies.computeIfAbsent(p.name(), config::policyOf);
            cls = policy.classFor(cls, "training", "scavenger");
            if (cls == null) throw new IllegalArgumentException("project " + p.name() + " may use neither the class the national mix "
                    + "drew nor training or scavenger: " + policy.classes().keySet());
            long walltime = policy.capWalltime(cls, Math.min(Math.round(runtime * 1.5), maxWalltime(config, cls)));
            List<String> models = List.of(model);
            if (portable && !extra.get(p.name()).isEmpty()) {
                List<String> more = new ArrayList<>(models);
                for (String m : extra.get(p.name())) if (!m.equals(model) && perNode.getOrDefault(m, 0) >= per) more.add(m);
                models = more;
            }
            specs.add(JobSpec.builder("n" + i, p.name()).gang(gpus / per, per).models(models.toArray(String[]::new)).priorityClass(cls)
                    .walltime(walltime).runtime(Math.min(runtime, walltime)).build());
            gpuSeconds += (double) gpus * runtime;
        }
        double rate = jobs == 0 ? 1 : load * fleet.totalGpus() / (gpuSeconds / jobs);
        List<Arrival> out = new ArrayList<>(jobs);
        double t = 0;
        for (JobSpec s : specs) {
            t += -Math.log(1 - r.nextDouble()) / rate;
            out.add(new Arrival(Math.round(t), s));
        }
        return out;
    }

    /** The models gained by a project or any of its ancestors, datacenter GPUs only (not RTX simulation GPUs). */
    private static List<String> gainedBy(String project, Map<String, String> parent, Map<String, Set<String>> gained) {
        if (gained.isEmpty()) return List.of();
        Set<String> out = new java.util.TreeSet<>();
        for (String t = project; t != null; t = parent.get(t)) {
            for (String m : gained.getOrDefault(t, Set.of())) if (!m.startsWith("RTX")) out.add(m);
        }
        return List.copyOf(out);
    }

    private static long maxWalltime(EngineConfig config, String cls) {
        return config.classes().stream().filter(c -> c.name().equals(cls)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the fleet has no priority class '" + cls + "' the national mix needs"))
                .maxWalltime();
    }

    private static int pick(double[] weight, double total, SplittableRandom r) {
        double x = r.nextDouble() * total;
        for (int i = 0; i < weight.length; i++) {
            x -= weight[i];
            if (x < 0) return i;
        }
        return weight.length - 1;
    }

    private static QuotaSpec pickQuota(List<QuotaSpec> quotas, SplittableRandom r) {
        double total = 0;
        for (QuotaSpec q : quotas) total += Math.max(0, q.nominal());
        double x = r.nextDouble() * total;
        for (QuotaSpec q : quotas) {
            x -= Math.max(0, q.nominal());
            if (x < 0) return q;
        }
        return quotas.get(quotas.size() - 1);
    }

    private static long logUniform(SplittableRandom r, long min, long max) {
        return Math.round(Math.exp(Math.log(min) + r.nextDouble() * (Math.log(max) - Math.log(min))));
    }
}

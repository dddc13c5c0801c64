package kr.nuri.core.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link NationalMix} draws: its job kinds, the walltime users declare (runtime × a factor in
 * [{@code walltimeFactorMin}, {@code walltimeFactorMax}]), and whether gangs say where they want to run.
 */
public record MixProfile(String name, List<JobKind> kinds, double walltimeFactorMin, double walltimeFactorMax, boolean topologyHints) {
    private static final long MIN = 60;
    private static final long HOUR = 3600;
    private static final long DAY = 86_400;

    public MixProfile {
        kinds = List.copyOf(kinds);
        double total = kinds.stream().filter(k -> k.modelPrefix() == null).mapToDouble(JobKind::share).sum();
        if (Math.abs(total - 1) > 1e-9) throw new IllegalArgumentException(name + ": the kinds' shares add up to " + total + ", not 1");
        if (!(walltimeFactorMin >= 1 && walltimeFactorMax >= walltimeFactorMin)) {
            throw new IllegalArgumentException(name + ": walltime factor " + walltimeFactorMin + ".." + walltimeFactorMax + " must be a range from at least 1");
        }
    }

    /**
     * The national programmes' work, as the simulator's {@code national} experiment runs it: foundation-model pretraining
     * (1% of jobs, 256–8,192 GPUs, 1–7 days, only on a quota of at least 256 frontier GPUs: not H100 or GH200),
     * fine-tuning (14%, 8–128 GPUs, 2–24 h), batch inference (55%, 1–8 GPUs, 10 min–4 h, class inference), development
     * and evaluation (30%, 1–8 GPUs, 30 min–8 h); on RTX GPUs every job is a physical-AI simulation (1–8 GPUs, 1–12 h).
     * Users declare 1.5 × the runtime. No preemptible jobs, no topology hints.
     */
    public static MixProfile national() {
        return new MixProfile("national", List.of(
                JobKind.of("simulation", 0, 1, 8, HOUR, 12 * HOUR, "training", false).onModels("RTX"),
                JobKind.of("pretraining", 0.01, 256, 8192, DAY, 7 * DAY, "training", false).needing(256, java.util.Set.of("H100", "GH200")),
                JobKind.of("fine-tuning", 0.14, 8, 128, 2 * HOUR, 24 * HOUR, "training", true),
                JobKind.of("inference", 0.55, 1, 8, 10 * MIN, 4 * HOUR, "inference", true),
                JobKind.of("development", 0.30, 1, 8, 30 * MIN, 8 * HOUR, "training", true)), 1.5, 1.5, false);
    }

    /**
     * The benchmark's stress mix: every size class under pressure at once, in each of three classes. Sizes: 70% of jobs
     * 1–8 GPUs (5 min–24 h), 25% gangs of 16–512 (30 min–48 h), 5% gangs of 1,024–8,192 (6–72 h); of each, 5% inference,
     * 85% training (a tenth of it preemptible), 10% scavenger: about 18.5% of jobs preemptible. Users declare 1.1–2 × the
     * runtime; gangs say where they want to run.
     */
    public static MixProfile stress() {
        List<JobKind> kinds = new ArrayList<>();
        addSizes(kinds, "small", 0.70, 1, 8, 5 * MIN, DAY);
        addSizes(kinds, "gang", 0.25, 16, 512, 30 * MIN, 2 * DAY);
        addSizes(kinds, "huge", 0.05, 1024, 8192, 6 * HOUR, 3 * DAY);
        return new MixProfile("stress", kinds, 1.1, 2.0, true);
    }

    private static void addSizes(List<JobKind> out, String size, double share, int minGpus, int maxGpus, long minRuntime, long maxRuntime) {
        out.add(JobKind.of(size + "-inference", share * 0.05, minGpus, maxGpus, minRuntime, maxRuntime, "inference", false));
        out.add(JobKind.of(size + "-training", share * 0.85, minGpus, maxGpus, minRuntime, maxRuntime, "training", false).preemptible(0.1));
        out.add(JobKind.of(size + "-scavenger", share * 0.10, minGpus, maxGpus, minRuntime, maxRuntime, "scavenger", false)); // preemptible by its class
    }
}

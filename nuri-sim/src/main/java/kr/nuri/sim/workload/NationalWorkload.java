package kr.nuri.sim.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.workload.MixProfile;
import kr.nuri.core.workload.NationalMix;
import kr.nuri.sim.Arrival;

/**
 * The simulator's {@code national} workload: jobs of {@link NationalMix} with {@link MixProfile#national()} (the one
 * national generator, shared with the benchmark), arriving as a Poisson process at the rate that offers {@code load}
 * × the fleet's GPUs of work (from the drawn jobs' mean GPU-seconds).
 *
 * <p>With {@code gained} (the models a what-if gives a tenant, {@code WhatIf.modelsGained}), the portable jobs of a
 * project under that tenant may also run on those models, after their own: the same arrivals then run without and
 * with the change. The draws do not depend on {@code gained}.
 */
public final class NationalWorkload {
    private NationalWorkload() { }

    public static List<Arrival> generate(EngineConfig config, int jobs, double load, long seed) {
        return generate(config, jobs, load, seed, Map.of());
    }

    public static List<Arrival> generate(EngineConfig config, int jobs, double load, long seed, Map<String, Set<String>> gained) {
        return generate(config, MixProfile.national(), jobs, load, seed, gained);
    }

    /** The same with another profile of the one generator (the benchmark's gang-heavy {@code stress}, for one). */
    public static List<Arrival> generate(EngineConfig config, MixProfile profile, int jobs, double load, long seed, Map<String, Set<String>> gained) {
        if (jobs < 0) throw new IllegalArgumentException("jobs=" + jobs + " must not be negative");
        if (!(load > 0)) throw new IllegalArgumentException("load=" + load + " must be positive. Maybe 0.8?");
        NationalMix mix = new NationalMix(config, profile, seed, gained);
        List<JobSpec> specs = new ArrayList<>(jobs);
        double gpuSeconds = 0;
        for (int i = 0; i < jobs; i++) {
            JobSpec s = mix.next("n" + i);
            specs.add(s);
            gpuSeconds += (double) s.totalGpus() * s.runtime();
        }
        double rate = jobs == 0 ? 1 : load * config.fleet().totalGpus() / (gpuSeconds / jobs);
        SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L); // arrival times: a stream of their own
        List<Arrival> out = new ArrayList<>(jobs);
        double t = 0;
        for (JobSpec s : specs) {
            t += -Math.log(1 - r.nextDouble()) / rate;
            out.add(new Arrival(Math.round(t), s));
        }
        return out;
    }
}

package kr.nuri.sim.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kr.nuri.core.job.JobSpec;
import kr.nuri.sim.Arrival;

/**
 * The synthetic mix of Gavel (Narayanan et al., "Heterogeneity-Aware Cluster Scheduling Policies for Deep
 * Learning Workloads", OSDI'20): 1, 2, 4 or 8 GPUs with probability .70/.10/.15/.05; a duration of
 * 60·10^U(1.5,3) s with probability .8, else 60·10^U(3,4) s; Poisson arrivals at the rate that offers
 * {@code load} × the fleet's GPUs of work. Jobs go to the given projects in turn at random.
 */
public final class GavelWorkload {
    private static final int[] GPUS = {1, 2, 4, 8};
    private static final double[] P = {0.70, 0.10, 0.15, 0.05};

    private GavelWorkload() {}

    /** Mean GPUs per job: Σ g·p. */
    public static double meanGpus() {
        double m = 0;
        for (int i = 0; i < GPUS.length; i++) m += GPUS[i] * P[i];
        return m;
    }

    /** Mean duration (s): E[60·10^U(a,b)] = 60 (10^b − 10^a) / ((b − a) ln 10), mixed .8/.2. */
    public static double meanDuration() {
        return 0.8 * meanLogUniform(1.5, 3) + 0.2 * meanLogUniform(3, 4);
    }

    private static double meanLogUniform(double a, double b) {
        return 60 * (Math.pow(10, b) - Math.pow(10, a)) / ((b - a) * Math.log(10));
    }

    /** Arrivals per second that offer {@code load} of {@code fleetGpus} on average. */
    public static double arrivalRate(double load, long fleetGpus) {
        return load * fleetGpus / (meanGpus() * meanDuration());
    }

    public static List<Arrival> generate(int jobs, double load, long fleetGpus, List<String> projects, long seed) {
        if (jobs < 0) throw new IllegalArgumentException("jobs=" + jobs + " must not be negative");
        if (!(load > 0)) throw new IllegalArgumentException("load=" + load + " must be positive. Maybe 0.8?");
        if (projects.isEmpty()) throw new IllegalArgumentException("no projects to submit to");
        SplittableRandom r = new SplittableRandom(seed);
        double rate = arrivalRate(load, fleetGpus);
        List<Arrival> out = new ArrayList<>(jobs);
        double t = 0;
        for (int i = 0; i < jobs; i++) {
            t += -Math.log(1 - r.nextDouble()) / rate;
            double u = r.nextDouble();
            int gpus = GPUS[GPUS.length - 1];
            double acc = 0;
            for (int k = 0; k < GPUS.length; k++) {
                acc += P[k];
                if (u < acc) { gpus = GPUS[k]; break; }
            }
            double exponent = r.nextDouble() < 0.8 ? 1.5 + 1.5 * r.nextDouble() : 3 + r.nextDouble();
            long duration = Math.max(1, Math.round(60 * Math.pow(10, exponent)));
            JobSpec spec = JobSpec.builder("g" + i, projects.get(r.nextInt(projects.size()))).gpus(gpus)
                    .walltime(duration).runtime(duration).build();
            out.add(new Arrival(Math.round(t), spec));
        }
        return out;
    }
}

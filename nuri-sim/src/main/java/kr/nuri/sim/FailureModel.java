package kr.nuri.sim;

import java.util.SplittableRandom;

/**
 * Node failures as independent Poisson processes, one per node: each node fails after an exponential time with
 * mean {@code mtbfHours}, so the fleet sees failures at rate nodes ÷ MTBF, each on a node drawn uniformly (a draw
 * that lands on a node already down is dropped, which keeps the per-node rate). A failed node is repaired after an
 * exponential time with mean {@code repairHours} (at least a minute). Seeded: the same model and seed give the
 * same failures.
 *
 * <p>For scale: Meta's Llama 3 report counts 419 unexpected interruptions in 54 days on 16,384 H100 GPUs (2,048
 * nodes), a node MTBF of about 6,300 hours.
 */
public record FailureModel(double mtbfHours, double repairHours, long seed) {
    public FailureModel {
        if (!(mtbfHours > 0) || Double.isInfinite(mtbfHours)) {
            throw new IllegalArgumentException("MTBF " + mtbfHours + " hours: must be a positive number of hours per node. Maybe 6300?");
        }
        if (!(repairHours > 0) || Double.isInfinite(repairHours)) {
            throw new IllegalArgumentException("repair time " + repairHours + " hours: must be a positive number of hours. Maybe 4?");
        }
    }

    /** Seconds to the next failure anywhere in a fleet of {@code nodes} nodes (at least 1). */
    long nextGap(SplittableRandom random, int nodes) {
        double mean = mtbfHours * 3600 / nodes;
        return Math.max(1, Math.round(-mean * Math.log(1 - random.nextDouble())));
    }

    /** Seconds a failed node stays down (at least 60). */
    long repairTime(SplittableRandom random) {
        return Math.max(60, Math.round(-repairHours * 3600 * Math.log(1 - random.nextDouble())));
    }
}

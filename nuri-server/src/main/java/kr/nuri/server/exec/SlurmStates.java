package kr.nuri.server.exec;

import java.util.Set;
import kr.nuri.core.job.Outcome;

/** Slurm's job states (v0.0.38's {@code job_state}) as Nuri reads them. */
final class SlurmStates {
    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "TIMEOUT", "CANCELLED", "NODE_FAIL", "PREEMPTED",
            "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY");

    private SlurmStates() {}

    static boolean terminal(String state) {
        return TERMINAL.contains(state);
    }

    /**
     * How a run Slurm ended reads in Nuri. NODE_FAIL, BOOT_FAIL and a preemption by Slurm itself (which Nuri never asks for)
     * are node failures: the job is requeued per its policy. CANCELLED is a cancel at the site (by its operator).
     */
    static Outcome outcome(String state) {
        return switch (state) {
            case "COMPLETED" -> Outcome.COMPLETED;
            case "TIMEOUT", "DEADLINE" -> Outcome.TIMEOUT;
            case "CANCELLED" -> Outcome.CANCELLED;
            case "NODE_FAIL", "BOOT_FAIL", "PREEMPTED" -> Outcome.NODE_FAILURE;
            default -> Outcome.FAILED;
        };
    }
}

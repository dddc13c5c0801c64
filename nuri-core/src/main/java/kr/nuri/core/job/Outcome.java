package kr.nuri.core.job;

/** Why a run of a job ended. */
public enum Outcome {
    COMPLETED, FAILED, CANCELLED, TIMEOUT, PREEMPTED, NODE_FAILURE,
    /** Put back in the queue by an operator or its owner (Slurm's requeue): its run's work is lost as in a preemption. */
    REQUEUED
}

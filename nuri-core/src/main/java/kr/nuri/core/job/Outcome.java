package kr.nuri.core.job;

/** Why a run of a job ended. */
public enum Outcome {
    COMPLETED, FAILED, CANCELLED, TIMEOUT, PREEMPTED, NODE_FAILURE
}

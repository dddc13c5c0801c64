package kr.nuri.core.job;

/** Where a job is in its life. */
public enum JobState {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT;

    public boolean isFinal() {
        return this != PENDING && this != RUNNING;
    }
}

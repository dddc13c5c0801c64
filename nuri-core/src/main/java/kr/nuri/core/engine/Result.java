package kr.nuri.core.engine;

import java.util.List;
import kr.nuri.core.event.Event;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.PendingReason;
import kr.nuri.core.schedule.PassStats;

/**
 * What applying a command produced: the events to journal (already replayed on the engine) and the pass
 * statistics, or a rejection with no events; for a submission, the typed answer ({@link #submitted}).
 */
public record Result(List<Event> events, Rejection rejection, PassStats pass, Submitted submitted) {
    /**
     * The answer to a submission: the job as the engine took it and what it decided, at once (running, or why it
     * waits and when it should start).
     *
     * @param reason         why it waits (null when it runs)
     * @param estimatedStart when it should start, or -1 (none computed, or it runs)
     */
    public record Submitted(Job job, JobState state, PendingReason reason, long estimatedStart) { }

    public Result(List<Event> events, Rejection rejection, PassStats pass) {
        this(events, rejection, pass, null);
    }

    public boolean accepted() {
        return rejection == null;
    }

    static Result rejected(Rejection r) {
        return new Result(List.of(), r, null);
    }
}

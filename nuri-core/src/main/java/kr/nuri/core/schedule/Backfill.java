package kr.nuri.core.schedule;

import java.util.Set;
import java.util.function.Consumer;
import kr.nuri.core.event.Event;
import kr.nuri.core.job.Job;

/**
 * A backfill policy: how jobs blocked for lack of GPUs are protected from the jobs behind them. Named in a fleet file
 * as {@code scheduler: {backfill: NAME}} and made by {@link Policies}.
 */
public interface Backfill {
    /** How many blocked jobs of a pass may hold a reservation. */
    int reservations();

    /** Whether a job may use reserved nodes now (it holds the reservation, or it would not delay any). */
    boolean mayUseReserved(Job job, long now);

    /**
     * Reserves for a blocked job, or confirms or moves its reservation (a full pass plans again), emitting what changes
     * and recording the job's verdict; the holders a pass confirmed go to {@code confirmed}.
     */
    void reserve(Job job, long now, boolean full, Set<String> confirmed, Consumer<Event> emit, Verdicts verdicts);

    /** At the end of a full pass: releases every reservation the pass did not confirm. */
    void endFullPass(long now, Set<String> confirmed, Consumer<Event> emit);
}

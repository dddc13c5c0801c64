package kr.nuri.server.exec;

import java.util.List;

/**
 * The execution port: what runs the jobs the engine starts at one site. It is told (after the decision is durable) to
 * launch a run or stop one, and tells back through {@link Feedback} what the site reports: runs that ended, with their
 * outcome and real times, and nodes that went down, drained or came back.
 */
interface SiteExecutor extends AutoCloseable {
    String site();

    /** Starts talking to the site; {@code running}: the runs the journal says are running there, to reconcile. */
    void start(Feedback feedback, List<Dispatch> running);

    /** Runs a job the engine started (durable by now). */
    void launch(Dispatch dispatch);

    /** Ends a run the engine ended (preempted, cancelled, requeued, walltime): the site stops it, after a grace. */
    void stop(String jobId, int run, String why);

    /** The site's id of a job's current run (Slurm's job id), or null. */
    String externalId(String jobId);

    /** Whether the site answered the last call (false: unknown, not failed). */
    boolean reachable();

    @Override
    void close();
}

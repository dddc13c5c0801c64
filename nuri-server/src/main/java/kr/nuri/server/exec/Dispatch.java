package kr.nuri.server.exec;

import java.util.List;
import kr.nuri.core.job.Launch;

/**
 * One run of a job the engine started at a site, as the site is to run it: on exactly {@code nodes} (the site's names),
 * {@code gpus} on each, holding whole nodes when {@code exclusive}; for at most {@code walltime} seconds.
 *
 * @param run     the job's run number (1 = first start): a report about another run is stale
 * @param launch  what to run; null = nothing given (the allocation is held for {@code runtime}, else its walltime)
 */
record Dispatch(String jobId, int run, String user, String name, List<String> nodes, int[] gpus, boolean exclusive,
                long walltime, long runtime, Launch launch) {}

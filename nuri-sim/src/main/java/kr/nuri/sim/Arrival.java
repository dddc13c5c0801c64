package kr.nuri.sim;

import kr.nuri.core.job.JobSpec;

/** A job arriving at a virtual time (seconds); its spec's runtime is how long it runs once started. */
public record Arrival(long time, JobSpec spec) {}

package kr.nuri.core.state;

/** GPUs held for a blocked job from {@code start} on: backfill may use these nodes only if it ends by then. */
public record Reservation(String jobId, long start, int model, int[] nodes) {}

package kr.nuri.core.state;

/**
 * The top blocked job will start at {@code start} on {@code nodes}, of pool {@code model} (the component keeps the
 * name it had before pools, when it was the GPU model: snapshots store it by that name).
 */
public record Reservation(String jobId, long start, int model, int[] nodes) {}

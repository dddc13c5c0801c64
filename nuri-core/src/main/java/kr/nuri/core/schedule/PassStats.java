package kr.nuri.core.schedule;

/** What one scheduling pass did. */
public record PassStats(int examined, int started, int preemptions, int reservations, boolean full) {}

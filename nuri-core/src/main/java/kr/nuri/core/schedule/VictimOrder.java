package kr.nuri.core.schedule;

import java.util.Iterator;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.function.LongConsumer;
import kr.nuri.core.job.Job;

/** The preemption search's walk over candidates, cheapest first, jumping over the jobs still exempt. */
final class VictimOrder {
    private VictimOrder() { }

    /**
     * The jobs of a set in the victim order ({@code RunningIndex}: priority, then latest start first, then latest
     * sequence number first) that started at or before {@code lastStart}, in that order. It tells {@code jumped} the start
     * time of the earliest started job it jumps over in each class it enters (the first of them to come out of the
     * exempt time).
     */
    static Iterable<Job> startedBy(NavigableSet<Job> set, long lastStart, LongConsumer jumped) {
        if (set.isEmpty()) return set;
        return () -> new Iterator<>() {
            private int priority;
            private Iterator<Job> in = from(set.first().priority());
            private Job next = advance();

            /** The walk from class {@code p}'s first job that is no longer exempt. */
            private Iterator<Job> from(int p) {
                priority = p;
                Job key = Job.orderKey(p, lastStart, Long.MAX_VALUE);
                Job lastExempt = set.lower(key);
                if (lastExempt != null && lastExempt.priority() == p) jumped.accept(lastExempt.startTime());
                return set.tailSet(key, true).iterator();
            }

            private Job advance() {
                while (in.hasNext()) {
                    Job j = in.next();
                    if (j.priority() == priority) return j;
                    in = from(j.priority()); // j opens the next class: jump over that class's exempt jobs
                }
                return null;
            }

            @Override
            public boolean hasNext() { return next != null; }

            @Override
            public Job next() {
                if (next == null) throw new NoSuchElementException();
                Job j = next;
                next = advance();
                return j;
            }
        };
    }
}

package kr.nuri.core.schedule;

import kr.nuri.core.state.PendingQueue;
import kr.nuri.core.state.State;

/** The order of projects in the fair-share walk: lowest key (decayed use over share) first, then the lower index. */
final class FairShareOrder {
    private FairShareOrder() {}

    /** Fair-share keys of all tenants at {@code now}, computed once per pass. */
    static double[] keys(State state, long now) {
        double[] keys = new double[state.tenants().size()];
        for (int t = 0; t < keys.length; t++) {
            if (state.tenants().isLeaf(t)) keys[t] = state.fairShare().key(t, now);
        }
        return keys;
    }

    /** The projects with waiting jobs of a class, in fair-share order. */
    static int[] projects(PendingQueue queue, int priorityClass, double[] keys) {
        int[] projects = queue.projects(priorityClass);
        // Insertion sort: a few dozen projects, sorted on every pass without boxing.
        for (int i = 1; i < projects.length; i++) {
            int p = projects[i];
            int j = i - 1;
            while (j >= 0 && (keys[projects[j]] > keys[p] || (keys[projects[j]] == keys[p] && projects[j] > p))) {
                projects[j + 1] = projects[j];
                j--;
            }
            projects[j + 1] = p;
        }
        return projects;
    }
}

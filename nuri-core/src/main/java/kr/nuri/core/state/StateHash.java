package kr.nuri.core.state;

import java.util.Arrays;
import kr.nuri.core.job.Job;
import kr.nuri.core.util.Hashing;

/** Hashes of a state: the whole state (stable over replay), and the indexes a scheduling search must leave as it found them. */
final class StateHash {
    private StateHash() { }

    /**
     * A fingerprint of the indexes a scheduling search may lift jobs out of and must put back: per node its free GPUs,
     * shares, CPU, memory, health and reservation; per tenant and model the quota in use. Searches compare it before
     * and after under FULL assertions (its versions and growth counters aside: they only invalidate caches).
     */
    static long indexFingerprint(State s) {
        long h = 0;
        for (int n = 0; n < s.fleet().nodeCount(); n++) {
            h = Hashing.mix(h, s.capacity().free(n) * 4L + s.capacity().health(n).ordinal() + (s.capacity().reserved(n) ? 64 : 0));
            h = Hashing.mix(h, s.capacity().gpuMilliLeft(n));
            h = Hashing.mix(h, s.capacity().cpuLeft(n));
            h = Hashing.mix(h, s.capacity().memoryLeft(n));
        }
        for (int m = 0; m < s.fleet().poolCount(); m++) {
            h = Hashing.mix(h, s.capacity().freeGpus(m, true));
            h = Hashing.mix(h, s.capacity().freeGpus(m, false));
        }
        for (int t = 0; t < s.tenants().size(); t++) {
            for (int m = 0; m < s.fleet().poolCount(); m++) h = Hashing.mix(Hashing.mix(h, s.quota().own(t, m)), s.quota().ownBorrowed(t, m));
        }
        return h;
    }

    /**
     * The state hash, independent of where anything stands in the fleet file: nodes, models and tenants enter by their
     * names, and per-node and per-tenant terms are summed (a commutative combination), so reordering the file's sites,
     * blocks or projects leaves it unchanged while every placement, quota and usage still counts. Jobs enter in their
     * journal order, which the file does not decide.
     */
    private static final long HELD = 0x48454c44L;

    static long of(State s) {
        Keys k = s.keys();
        long h = Hashing.mix(0, s.now());
        h = Hashing.mix(h, s.nextSeq());
        h = Hashing.mix(h, s.chargedGpuSeconds());
        for (Job j : s.jobs()) {
            h = Hashing.mix(h, j.id());
            h = Hashing.mix(h, j.state().ordinal());
            h = Hashing.mix(h, j.startTime());
            h = Hashing.mix(h, j.gpuSeconds());
            h = Hashing.mix(h, j.pool() < 0 ? -1 : k.model[j.pool()]);
            h = Hashing.mix(h, j.borrowed() ? 1 : 0);
            if (j.held()) h = Hashing.mix(h, HELD); // only when held: the hashes journals recorded before holds stay
            if (j.walltimeSet()) h = Hashing.mix(h, j.walltime());
            if (j.nodes() != null) {
                for (int n : j.nodes()) h = Hashing.mix(h, k.node[n]);
                h = Hashing.mix(h, Arrays.hashCode(j.gpus()));
                if (j.slots() != null) h = Hashing.mix(h, Arrays.hashCode(j.slots()));
            }
        }
        long nodes = 0;
        for (int n = 0; n < s.fleet().nodeCount(); n++) {
            nodes += Hashing.mix(k.node[n], s.capacity().free(n) * 4L + s.capacity().health(n).ordinal() + (s.capacity().reserved(n) ? 64 : 0));
        }
        h = Hashing.mix(h, nodes);
        long quotas = 0;
        for (int t = 0; t < s.tenants().size(); t++) {
            for (int m = 0; m < s.fleet().poolCount(); m++) {
                long q = Hashing.mix(k.tenant[t], k.model[m]);
                q = Hashing.mix(q, s.quota().nominal(t, m));
                q = Hashing.mix(q, s.quota().borrowingLimit(t, m));
                q = Hashing.mix(q, s.quota().lendingLimit(t, m));
                q = Hashing.mix(q, s.quota().own(t, m));
                q = Hashing.mix(q, s.quota().subtreeQuota(t, m));
                quotas += q;
            }
        }
        h = Hashing.mix(h, quotas);
        h = Hashing.mix(h, s.fairShare().stableHash(k.tenant));
        h = Hashing.mix(h, s.awards().stableHash());
        h = Hashing.mix(h, s.policies().stableHash());
        long reservations = 0;
        for (Reservation r : s.reservations().values()) {
            long x = Hashing.mix(Hashing.mix(0, r.jobId()), r.start());
            for (int n : r.nodes()) x = Hashing.mix(x, k.node[n]);
            reservations += x;
        }
        return Hashing.mix(h, reservations);
    }

    /** Name keys of a fleet's nodes and models and of the tenants, computed once per state. */
    static final class Keys {
        final long[] node;
        final long[] model;
        final long[] tenant;

        Keys(State s) {
            node = new long[s.fleet().nodeCount()];
            for (int n = 0; n < node.length; n++) node[n] = Hashing.mix(1, s.fleet().nodeName(n));
            model = new long[s.fleet().poolCount()];
            for (int m = 0; m < model.length; m++) model[m] = Hashing.mix(2, s.fleet().pools().get(m).toUpperCase(java.util.Locale.ROOT));
            tenant = new long[s.tenants().size()];
            for (int t = 0; t < tenant.length; t++) tenant[t] = Hashing.mix(3, s.tenants().name(t));
        }
    }

    /**
     * The hash journals of format 1 recorded at their checkpoints: positional (nodes, models and tenants by their index
     * in the fleet file). Only for verifying such journals against the file they were written with.
     */
    static long positional(State s) {
        long h = Hashing.mix(0, s.now());
        h = Hashing.mix(h, s.nextSeq());
        h = Hashing.mix(h, s.chargedGpuSeconds());
        for (Job j : s.jobs()) {
            h = Hashing.mix(h, j.id());
            h = Hashing.mix(h, j.state().ordinal());
            h = Hashing.mix(h, j.startTime());
            h = Hashing.mix(h, j.gpuSeconds());
            h = Hashing.mix(h, j.pool());
            h = Hashing.mix(h, j.borrowed() ? 1 : 0);
            if (j.held()) h = Hashing.mix(h, HELD);
            if (j.nodes() != null) {
                h = Hashing.mix(h, Arrays.hashCode(j.nodes()));
                h = Hashing.mix(h, Arrays.hashCode(j.gpus()));
                if (j.slots() != null) h = Hashing.mix(h, Arrays.hashCode(j.slots()));
            }
        }
        for (int n = 0; n < s.fleet().nodeCount(); n++) {
            h = Hashing.mix(h, s.capacity().free(n) * 4L + s.capacity().health(n).ordinal() + (s.capacity().reserved(n) ? 64 : 0));
        }
        for (int t = 0; t < s.tenants().size(); t++) {
            for (int m = 0; m < s.fleet().poolCount(); m++) {
                h = Hashing.mix(h, s.quota().nominal(t, m));
                h = Hashing.mix(h, s.quota().borrowingLimit(t, m));
                h = Hashing.mix(h, s.quota().lendingLimit(t, m));
                h = Hashing.mix(h, s.quota().own(t, m));
                h = Hashing.mix(h, s.quota().subtreeQuota(t, m));
            }
        }
        h = s.fairShare().hash(h);
        h = s.awards().hash(h);
        for (Reservation r : s.reservations().values()) {
            h = Hashing.mix(h, r.jobId());
            h = Hashing.mix(h, r.start());
            h = Hashing.mix(h, Arrays.hashCode(r.nodes()));
        }
        return h;
    }
}

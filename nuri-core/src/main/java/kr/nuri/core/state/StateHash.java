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
        for (int m = 0; m < s.fleet().modelCount(); m++) {
            h = Hashing.mix(h, s.capacity().freeGpus(m, true));
            h = Hashing.mix(h, s.capacity().freeGpus(m, false));
        }
        for (int t = 0; t < s.tenants().size(); t++) {
            for (int m = 0; m < s.fleet().modelCount(); m++) h = Hashing.mix(h, s.quota().own(t, m));
        }
        return h;
    }

    static long of(State s) {
        long h = Hashing.mix(0, s.now());
        h = Hashing.mix(h, s.nextSeq());
        h = Hashing.mix(h, s.chargedGpuSeconds());
        for (Job j : s.jobs()) {
            h = Hashing.mix(h, j.id());
            h = Hashing.mix(h, j.state().ordinal());
            h = Hashing.mix(h, j.startTime());
            h = Hashing.mix(h, j.gpuSeconds());
            h = Hashing.mix(h, j.model());
            h = Hashing.mix(h, j.borrowed() ? 1 : 0);
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
            for (int m = 0; m < s.fleet().modelCount(); m++) {
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

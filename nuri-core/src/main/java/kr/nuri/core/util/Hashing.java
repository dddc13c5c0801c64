package kr.nuri.core.util;

/** A 64-bit mixing step for state hashes (the finaliser of SplitMix64 applied to a running value). */
public final class Hashing {
    private Hashing() {}

    public static long mix(long h, long v) {
        long z = h * 0x9E3779B97F4A7C15L + v;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static long mix(long h, String s) {
        return mix(h, s == null ? 0 : s.hashCode() * 31L + s.length());
    }
}

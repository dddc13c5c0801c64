package kr.nuri.sim.packing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Go's {@code math/rand} with a seeded source (the additive lagged Fibonacci generator of Mitchell and Reeds that Go
 * has kept unchanged from 1.0 to 1.22, {@code src/math/rand/rng.go} and {@code rand.go}), so that the FGD experiment
 * draws exactly what the authors' simulator draws for the same seed: their pod order, their tuning draws and their node
 * names come from Go's global generator after {@code rand.Seed(tuneSeed)}. Only the calls that simulator makes are
 * here, each the same arithmetic as Go's: {@link #int63} ({@code Int} on 64 bits), {@link #intn} ({@code Intn}, by
 * rejection), {@link #shuffle} ({@code Shuffle}, Lemire's multiply-shift) and {@link #perm} ({@code Perm}). The 607
 * seeding constants ({@code rngCooked}) are Go's, in {@code go-rng-cooked.txt} with Go's licence.
 */
final class GoRandom {
    private static final int LENGTH = 607;
    private static final int TAP = 273;
    private static final int INT32_MAX = Integer.MAX_VALUE;
    private static final long[] COOKED = cooked();

    private final long[] vec = new long[LENGTH];
    private int tap;
    private int feed;

    GoRandom(long seed) {
        tap = 0;
        feed = LENGTH - TAP;
        seed %= INT32_MAX;
        if (seed < 0) seed += INT32_MAX;
        if (seed == 0) seed = 89482311;
        int x = (int) seed;
        for (int i = -20; i < LENGTH; i++) {
            x = seedrand(x);
            if (i >= 0) {
                long u = (long) x << 40;
                x = seedrand(x);
                u ^= (long) x << 20;
                x = seedrand(x);
                u ^= x;
                u ^= COOKED[i];
                vec[i] = u;
            }
        }
    }

    /** Go's {@code seedrand}: x·48271 mod (2³¹ − 1), by Schrage's method (no overflow in 32 bits). */
    private static int seedrand(int x) {
        int hi = x / 44488;
        int lo = x % 44488;
        x = 48271 * lo - 3399 * hi;
        return x < 0 ? x + INT32_MAX : x;
    }

    private long uint64() {
        if (--tap < 0) tap += LENGTH;
        if (--feed < 0) feed += LENGTH;
        long x = vec[feed] + vec[tap];
        vec[feed] = x;
        return x;
    }

    /** {@code Int63}, and {@code Int} on a 64-bit machine. */
    long int63() {
        return uint64() & Long.MAX_VALUE;
    }

    private int int31() {
        return (int) (int63() >>> 32);
    }

    private long uint32() {
        return (int63() >>> 31) & 0xFFFF_FFFFL;
    }

    /** {@code Intn(n)} for 0 &lt; n &lt; 2³¹: {@code Int31n}, by rejection. */
    int intn(int n) {
        if (n <= 0) throw new IllegalArgumentException("n=" + n + ": must be positive");
        if ((n & (n - 1)) == 0) return int31() & (n - 1);
        int max = (int) ((1L << 31) - 1 - (1L << 31) % n);
        int v = int31();
        while (v > max) v = int31();
        return v % n;
    }

    /** Go's internal {@code int31n}: Lemire's multiply-shift, as {@code Shuffle} uses it. */
    private int lemire(int n) {
        long prod = uint32() * n;
        long low = prod & 0xFFFF_FFFFL;
        if (low < n) {
            long thresh = ((1L << 32) - n) % n;
            while (low < thresh) {
                prod = uint32() * n;
                low = prod & 0xFFFF_FFFFL;
            }
        }
        return (int) (prod >>> 32);
    }

    /** {@code Shuffle} of the whole array (Fisher–Yates from the end). */
    void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = lemire(i + 1);
            int x = a[i];
            a[i] = a[j];
            a[j] = x;
        }
    }

    /** {@code Perm(n)}: a permutation of 0..n-1. */
    int[] perm(int n) {
        int[] m = new int[n];
        for (int i = 0; i < n; i++) {
            int j = intn(i + 1);
            m[i] = m[j];
            m[j] = i;
        }
        return m;
    }

    private static long[] cooked() {
        long[] out = new long[LENGTH];
        int k = 0;
        try (InputStream in = GoRandom.class.getResourceAsStream("go-rng-cooked.txt")) {
            if (in == null) throw new IllegalStateException("go-rng-cooked.txt is missing from the classpath");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                if (k == LENGTH) throw new IllegalStateException("go-rng-cooked.txt has more than " + LENGTH + " values");
                out[k++] = Long.parseLong(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (k != LENGTH) throw new IllegalStateException("go-rng-cooked.txt has " + k + " values, not " + LENGTH);
        return out;
    }
}

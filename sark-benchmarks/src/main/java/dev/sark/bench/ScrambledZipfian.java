package dev.sark.bench;

import java.util.Random;

/**
 * YCSB's ScrambledZipfianGenerator (the key generator of Caffeine's GetPutBenchmark): a Zipfian
 * distribution with constant 0.99 over a huge item space, scattered by an FNV-1a hash and folded onto
 * {@code items} values, so popular keys are spread over the key space instead of being 0, 1, 2...
 * Seeded, so every implementation sees the same key sequence.
 */
final class ScrambledZipfian {

    private static final double ZIPFIAN_CONSTANT = 0.99;
    private static final long ITEM_COUNT = 10_000_000_000L;
    /** zeta(ITEM_COUNT, 0.99), precomputed by YCSB (computing it would take minutes). */
    private static final double ZETAN = 26.46902820178302;

    private final long items;
    private final Random random;
    private final double alpha;
    private final double eta;
    private final double halfPowTheta;

    ScrambledZipfian(long items, long seed) {
        this.items = items;
        this.random = new Random(seed);
        double theta = ZIPFIAN_CONSTANT;
        double zeta2theta = 1 + Math.pow(0.5, theta);
        this.alpha = 1.0 / (1.0 - theta);
        this.eta = (1 - Math.pow(2.0 / ITEM_COUNT, 1 - theta)) / (1 - zeta2theta / ZETAN);
        this.halfPowTheta = Math.pow(0.5, theta);
    }

    long next() {
        double u = random.nextDouble();
        double uz = u * ZETAN;
        long rank;
        if (uz < 1.0) {
            rank = 0;
        } else if (uz < 1.0 + halfPowTheta) {
            rank = 1;
        } else {
            rank = (long) (ITEM_COUNT * Math.pow(eta * u - eta + 1, alpha));
        }
        return fnv64(rank) % items;
    }

    private static long fnv64(long value) {
        long hash = 0xCBF29CE484222325L;
        for (int i = 0; i < 8; i++) {
            hash ^= value & 0xff;
            hash *= 1099511628211L;
            value >>>= 8;
        }
        return Math.abs(hash);
    }
}

package io.ggen.p2p.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ed25519 verification of many signatures at once, with the verdicts of one at a time: the
 * cofactored equation of RFC 8032 section 5.1.7, {@code [8][S]B = [8]R + [8][k]A}, with S below L
 * and R a canonical encoding of a curve point (A as {@link Ed25519PublicKey} accepts it).
 *
 * <p>One rule for both paths, because a node must reach the same verdict on a record whether it
 * checks it alone (a gossip announcement) or in a batch (a page of catalog sync): otherwise a
 * publisher could craft a record that one path takes and the other refuses, and honest peers that
 * forward it would be banned for it. BouncyCastle's single check ({@link Ed25519PublicKey#verify})
 * follows the cofactored rule too: it takes signatures whose R or key carry a small-order part,
 * which only a key's owner can make (Ed25519BatchTest pins this, so a library update that changed
 * it would fail the build).
 *
 * <p>A batch of n signatures checks {@code [8]([sum z_i S_i] B - sum [z_i] R_i - sum [z_i k_i] A_i) = 0}
 * with random 128-bit z_i (Bellare, Garay and Rabin's small-exponents test): one multi-scalar
 * multiplication, its doublings shared among all terms and its key terms among all signatures of
 * a key, in place of n double multiplications. A batch holding an invalid signature passes with
 * probability at most 2^-128; when a batch fails, each of its signatures is checked alone.
 *
 * <p>Variable time: only public values pass through. Never throws: a malformed input is a false verdict.
 */
public final class Ed25519Batch {
    private Ed25519Batch() {}

    /** A signature to check: the key, the signed bytes and the 64-byte signature. */
    public record Item(Ed25519PublicKey key, byte[] message, byte[] signature) {}

    private static final int KEY_WIDTH = 5;
    private static final int R_WIDTH = 4;
    private static final int BASE_WIDTH = 8;
    private static final Edwards25519.Cached[] BASE_MULTIPLES = Edwards25519.oddMultiples(Edwards25519.base(), BASE_WIDTH, new Edwards25519.Work());
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The verdict on one signature: BouncyCastle's, the same rule. */
    public static boolean verify(Ed25519PublicKey key, byte[] message, byte[] signature) {
        return key != null && message != null && key.verify(message, signature);
    }

    /** The verdict on each item, in order: the same as {@link #verify} on each. */
    public static boolean[] verifyAll(List<Item> items) {
        boolean[] ok = new boolean[items.size()];
        if (items.isEmpty()) return ok;
        if (items.size() == 1) {
            Item only = items.get(0);
            ok[0] = verify(only.key(), only.message(), only.signature());
            return ok;
        }
        Prepared[] prepared = new Prepared[items.size()];
        int count = 0;
        MessageDigest sha512 = sha512();
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            try {
                if (it.key() != null && it.message() != null && it.signature() != null && it.signature().length == 64) {
                    prepared[i] = prepare(it.key(), it.message(), it.signature(), sha512);
                }
            } catch (RuntimeException e) {
                prepared[i] = null;
            }
            if (prepared[i] != null) count++;
        }
        boolean batchHolds = false;
        if (count >= 2) {
            try {
                batchHolds = checkBatch(prepared, count);
            } catch (RuntimeException e) {
                batchHolds = false;
            }
        }
        for (int i = 0; i < ok.length; i++) {
            if (prepared[i] == null) continue; // malformed: refused by either rule
            // A failed batch says only that one of its signatures is bad: each is checked alone.
            ok[i] = batchHolds || verify(items.get(i).key(), items.get(i).message(), items.get(i).signature());
        }
        return ok;
    }

    /**
     * Whether the batch equation alone holds for items that are all well-formed (false if any is
     * not): for tests, which must see the fast path taken, not only the right verdicts.
     */
    static boolean batchEquationHolds(List<Item> items) {
        Prepared[] prepared = new Prepared[items.size()];
        MessageDigest sha512 = sha512();
        for (int i = 0; i < prepared.length; i++) {
            Item it = items.get(i);
            prepared[i] = prepare(it.key(), it.message(), it.signature(), sha512);
            if (prepared[i] == null) return false;
        }
        return checkBatch(prepared, prepared.length);
    }

    /** A signature's parts, decoded and checked for form: S below L, R a canonical point; k = H(R || A || M), unreduced. */
    private record Prepared(Ed25519PublicKey key, Edwards25519.Point r, BigInteger s, BigInteger k) {}

    private static Prepared prepare(Ed25519PublicKey key, byte[] message, byte[] signature, MessageDigest sha512) {
        BigInteger s = Edwards25519.fromLittleEndian(signature, 32, 32);
        if (s.compareTo(Edwards25519.L) >= 0) return null;
        Edwards25519.Point r = Edwards25519.decode(signature, 0);
        if (r == null) return null;
        sha512.reset();
        sha512.update(signature, 0, 32);
        sha512.update(key.encoded());
        sha512.update(message);
        byte[] h = sha512.digest();
        // k is left unreduced: it only ever multiplies A, and [8][k]A = [8][k mod L]A for any A.
        return new Prepared(key, r, s, Edwards25519.fromLittleEndian(h, 0, 64));
    }

    private static boolean checkBatch(Prepared[] prepared, int count) {
        Edwards25519.Work w = new Edwards25519.Work();
        byte[] random = coefficients(count);
        BigInteger baseScalar = BigInteger.ZERO;
        Map<Ed25519PublicKey, BigInteger> keyScalars = new HashMap<>();
        Edwards25519.Cached[][] tables = new Edwards25519.Cached[1 + 2 * count][];
        byte[][] digits = new byte[tables.length][];
        boolean[] negate = new boolean[tables.length];
        int terms = 1;
        int n = 0;
        for (Prepared p : prepared) {
            if (p == null) continue;
            BigInteger z = Edwards25519.fromLittleEndian(random, 16 * n++, 16);
            if (z.signum() == 0) z = BigInteger.ONE;
            baseScalar = baseScalar.add(z.multiply(p.s()));
            keyScalars.merge(p.key(), z.multiply(p.k()), BigInteger::add);
            tables[terms] = Edwards25519.oddMultiples(p.r(), R_WIDTH, w);
            digits[terms] = Edwards25519.wnaf(z, R_WIDTH);
            negate[terms++] = true;
        }
        for (Map.Entry<Ed25519PublicKey, BigInteger> e : keyScalars.entrySet()) {
            Edwards25519.Cached[] keyMultiples = e.getKey().multiples(KEY_WIDTH, w);
            if (keyMultiples == null) return false;
            tables[terms] = keyMultiples;
            digits[terms] = Edwards25519.wnaf(e.getValue().mod(Edwards25519.L), KEY_WIDTH);
            negate[terms++] = true;
        }
        tables[0] = BASE_MULTIPLES;
        digits[0] = Edwards25519.wnaf(baseScalar.mod(Edwards25519.L), BASE_WIDTH);
        if (terms < tables.length) {
            tables = java.util.Arrays.copyOf(tables, terms);
            digits = java.util.Arrays.copyOf(digits, terms);
            negate = java.util.Arrays.copyOf(negate, terms);
        }
        return Edwards25519.timesCofactor(Edwards25519.multiScalarMul(tables, digits, negate, w), w).isNeutral();
    }

    /**
     * 16 unpredictable bytes per signature: SHA-512 of a fresh 32-byte secret and a counter, so
     * the system's generator (which hashes everything it returns with SHA-1 too) gives 32 bytes
     * a batch, not 16 per signature. A signer who could predict them could make an invalid
     * signature cancel out in the sum.
     */
    private static byte[] coefficients(int count) {
        byte[] secret = new byte[36];
        RANDOM.nextBytes(secret);
        MessageDigest sha512 = sha512();
        byte[] out = new byte[16 * count];
        for (int block = 0, off = 0; off < out.length; block++, off += 64) {
            secret[32] = (byte) block;
            secret[33] = (byte) (block >>> 8);
            secret[34] = (byte) (block >>> 16);
            secret[35] = (byte) (block >>> 24);
            byte[] h = sha512.digest(secret);
            System.arraycopy(h, 0, out, off, Math.min(64, out.length - off));
        }
        return out;
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-512", e);
        }
    }
}

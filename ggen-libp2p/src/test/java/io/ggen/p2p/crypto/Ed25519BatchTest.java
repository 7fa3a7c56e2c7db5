package io.ggen.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

class Ed25519BatchTest {
    private static final Random RANDOM = new Random(20261206L);
    private static final BigInteger L = Edwards25519.L;

    private static byte[] seed() {
        byte[] s = new byte[32];
        RANDOM.nextBytes(s);
        return s;
    }

    private static byte[] message(int i) {
        return ("ggen-marketplace-record:release " + i + " " + "x".repeat(i % 300)).getBytes(StandardCharsets.UTF_8);
    }

    /** The secret scalar of an RFC 8032 seed, reduced mod L. */
    private static BigInteger secretScalar(byte[] seed) throws Exception {
        byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
        h[0] &= (byte) 248;
        h[31] &= 127;
        h[31] |= 64;
        return Edwards25519.fromLittleEndian(h, 0, 32).mod(L);
    }

    private static Edwards25519.Point times(Edwards25519.Point p, BigInteger scalar) {
        Edwards25519.Work w = new Edwards25519.Work();
        return Edwards25519.multiScalarMul(new Edwards25519.Cached[][] {Edwards25519.oddMultiples(p, 5, w)},
                new byte[][] {Edwards25519.wnaf(scalar, 5)}, new boolean[] {false}, w);
    }

    private static Edwards25519.Point sum(Edwards25519.Point p, Edwards25519.Point q) {
        Edwards25519.Work w = new Edwards25519.Work();
        Edwards25519.Point r = new Edwards25519.Point();
        r.set(p);
        Edwards25519.add(r, Edwards25519.Cached.of(q), false, r, w);
        return r;
    }

    /** A point of order 8: [L] of a random point, until its order is 8 and not less. */
    private static Edwards25519.Point orderEight() {
        while (true) {
            byte[] y = seed();
            y[31] &= 0x7F;
            Edwards25519.Point p = Edwards25519.decode(y, 0);
            if (p == null) continue;
            Edwards25519.Point t = times(p, L);
            Edwards25519.Point t4 = new Edwards25519.Point();
            Edwards25519.Work w = new Edwards25519.Work();
            Edwards25519.dbl(t, t4, w);
            Edwards25519.dbl(t4, t4, w);
            if (!t4.isNeutral()) return t;
        }
    }

    /** A signature made by hand, so that R may carry a small-order part: S = r + k a with R = [r]B + torsion. */
    private static byte[] craft(byte[] seed, byte[] publicKey, byte[] message, Edwards25519.Point torsion) throws Exception {
        BigInteger a = secretScalar(seed);
        BigInteger r = new BigInteger(250, RANDOM).mod(L);
        Edwards25519.Point rPoint = times(Edwards25519.base(), r);
        if (torsion != null) rPoint = sum(rPoint, torsion);
        byte[] rBytes = rPoint.encode();
        MessageDigest sha = MessageDigest.getInstance("SHA-512");
        sha.update(rBytes);
        sha.update(publicKey);
        sha.update(message);
        BigInteger k = Edwards25519.fromLittleEndian(sha.digest(), 0, 64).mod(L);
        BigInteger s = r.add(k.multiply(a)).mod(L);
        byte[] sig = new byte[64];
        System.arraycopy(rBytes, 0, sig, 0, 32);
        System.arraycopy(Edwards25519.littleEndian(s, 32), 0, sig, 32, 32);
        return sig;
    }

    private static List<Ed25519Batch.Item> signed(int count, int keys) {
        List<Ed25519PrivateKey> signers = new ArrayList<>();
        for (int i = 0; i < keys; i++) signers.add(Ed25519PrivateKey.fromSeed(seed()));
        List<Ed25519Batch.Item> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Ed25519PrivateKey k = signers.get(i % keys);
            byte[] m = message(i);
            items.add(new Ed25519Batch.Item(k.publicKey(), m, k.sign(m)));
        }
        return items;
    }

    @Test
    void pointArithmeticAgreesWithBouncyCastlesKeyGeneration() throws Exception {
        for (int i = 0; i < 200; i++) {
            byte[] seed = seed();
            byte[] expected = new byte[32];
            Ed25519.generatePublicKey(seed, 0, expected, 0);
            assertThat(times(Edwards25519.base(), secretScalar(seed)).encode()).isEqualTo(expected);
            Edwards25519.Point decoded = Edwards25519.decode(expected, 0);
            assertThat(decoded).isNotNull();
            assertThat(decoded.encode()).isEqualTo(expected);
        }
        assertThat(times(Edwards25519.base(), L).isNeutral()).isTrue();
        assertThat(times(Edwards25519.base(), L.subtract(BigInteger.ONE)).isNeutral()).isFalse();
    }

    @Test
    void wnafDigitsRebuildTheScalar() {
        for (int width : new int[] {4, 5, 8}) {
            for (int i = 0; i < 300; i++) {
                BigInteger s = i == 0 ? L.subtract(BigInteger.ONE) : new BigInteger(1 + RANDOM.nextInt(253), RANDOM);
                byte[] d = Edwards25519.wnaf(s, width);
                BigInteger back = BigInteger.ZERO;
                int lastNonZero = -width;
                for (int j = 255; j >= 0; j--) back = back.shiftLeft(1).add(BigInteger.valueOf(d[j]));
                for (int j = 0; j < 256; j++) {
                    if (d[j] == 0) continue;
                    assertThat(d[j] % 2).isNotZero();
                    assertThat(Math.abs(d[j])).isLessThan(1 << (width - 1));
                    assertThat(j - lastNonZero).isGreaterThanOrEqualTo(width);
                    lastNonZero = j;
                }
                assertThat(back).isEqualTo(s);
            }
        }
    }

    @Test
    void validSignaturesPassAsABatchAndOneByOne() {
        for (int[] shape : new int[][] {{2, 1}, {3, 3}, {50, 1}, {250, 50}, {301, 7}}) {
            List<Ed25519Batch.Item> items = signed(shape[0], shape[1]);
            assertThat(Ed25519Batch.batchEquationHolds(items)).as("batch of %d under %d keys", shape[0], shape[1]).isTrue();
            boolean[] all = Ed25519Batch.verifyAll(items);
            for (int i = 0; i < items.size(); i++) {
                assertThat(all[i]).isTrue();
                assertThat(Ed25519Batch.verify(items.get(i).key(), items.get(i).message(), items.get(i).signature())).isTrue();
            }
        }
    }

    /** The corruptions a lying peer can make, each refused alone and singled out in a batch. */
    private static List<byte[]> corruptions(Ed25519Batch.Item it) {
        List<byte[]> bad = new ArrayList<>();
        byte[] sig = it.signature();
        for (int bit : new int[] {0, 77, 255, 256, 300, 500}) {
            byte[] s = sig.clone();
            s[bit / 8] ^= (byte) (1 << (bit % 8));
            bad.add(s);
        }
        byte[] plusL = sig.clone(); // S + L: the same point, a non-canonical scalar
        byte[] sl = Edwards25519.littleEndian(Edwards25519.fromLittleEndian(sig, 32, 32).add(L), 32);
        System.arraycopy(sl, 0, plusL, 32, 32);
        bad.add(plusL);
        byte[] rNotCanonical = sig.clone(); // y = p: the encoding of y = 0 plus p
        byte[] p = Edwards25519.littleEndian(Edwards25519.P, 32);
        System.arraycopy(p, 0, rNotCanonical, 0, 32);
        bad.add(rNotCanonical);
        byte[] zeros = new byte[64];
        bad.add(zeros);
        bad.add(Arrays.copyOf(sig, 63));
        return bad;
    }

    @Test
    void aBadSignatureIsRefusedAloneAndSingledOutOfABatch() {
        List<Ed25519Batch.Item> items = signed(60, 5);
        int victim = 17;
        for (byte[] bad : corruptions(items.get(victim))) {
            Ed25519Batch.Item it = items.get(victim);
            assertThat(Ed25519Batch.verify(it.key(), it.message(), bad)).isFalse();
            List<Ed25519Batch.Item> batch = new ArrayList<>(items);
            batch.set(victim, new Ed25519Batch.Item(it.key(), it.message(), bad));
            if (bad.length == 64) assertThat(Ed25519Batch.batchEquationHolds(batch)).isFalse();
            boolean[] ok = Ed25519Batch.verifyAll(batch);
            for (int i = 0; i < ok.length; i++) assertThat(ok[i]).as("item %d", i).isEqualTo(i != victim);
        }
        // The right signature under another key, and over another message.
        List<Ed25519Batch.Item> batch = new ArrayList<>(items);
        Ed25519Batch.Item it = items.get(3);
        batch.set(3, new Ed25519Batch.Item(items.get(4).key(), it.message(), it.signature()));
        batch.set(9, new Ed25519Batch.Item(items.get(9).key(), message(10), items.get(9).signature()));
        assertThat(Ed25519Batch.batchEquationHolds(batch)).isFalse();
        boolean[] ok = Ed25519Batch.verifyAll(batch);
        for (int i = 0; i < ok.length; i++) assertThat(ok[i]).isEqualTo(i != 3 && i != 9);
    }

    @Test
    void aSmallOrderPartGetsTheSameVerdictAloneAndInABatch() throws Exception {
        Edwards25519.Point t = orderEight();
        byte[] seed = seed();
        Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(seed);
        byte[] pub = key.publicKey().raw();
        List<Ed25519Batch.Item> items = new ArrayList<>(signed(20, 2));
        for (int i = 0; i < 16; i++) {
            byte[] m = message(1000 + i);
            byte[] sig = craft(seed, pub, m, t);
            // BouncyCastle's single check takes it: it follows the cofactored rule, as the batch must.
            assertThat(key.publicKey().verify(m, sig)).isTrue();
            items.add(new Ed25519Batch.Item(key.publicKey(), m, sig));
        }
        // A key with a small-order part: A' = A + T, signed with A's secret.
        Ed25519PublicKey twisted = new Ed25519PublicKey(sum(Edwards25519.decode(pub, 0), t).encode());
        for (int i = 0; i < 8; i++) {
            byte[] m = message(2000 + i);
            byte[] sig = craft(seed, twisted.raw(), m, i % 2 == 0 ? null : t);
            assertThat(Ed25519Batch.verify(twisted, m, sig)).isTrue();
            assertThat(twisted.verify(m, sig)).isTrue();
            items.add(new Ed25519Batch.Item(twisted, m, sig));
        }
        assertThat(Ed25519Batch.batchEquationHolds(items)).isTrue();
        boolean[] ok = Ed25519Batch.verifyAll(items);
        for (boolean b : ok) assertThat(b).isTrue();
        // Without the secret, a small-order part does not help: R + T with the old S is refused.
        Ed25519Batch.Item honest = items.get(0);
        byte[] shifted = honest.signature().clone();
        System.arraycopy(sum(Edwards25519.decode(shifted, 0), t).encode(), 0, shifted, 0, 32);
        assertThat(Ed25519Batch.verify(honest.key(), honest.message(), shifted)).isFalse();
        List<Ed25519Batch.Item> withShifted = new ArrayList<>(items);
        withShifted.set(0, new Ed25519Batch.Item(honest.key(), honest.message(), shifted));
        assertThat(Ed25519Batch.batchEquationHolds(withShifted)).isFalse();
        assertThat(Ed25519Batch.verifyAll(withShifted)[0]).isFalse();
    }

    @Test
    void batchVerdictsAreTheSingleVerdictsWhateverIsCorrupted() {
        List<Ed25519Batch.Item> base = signed(40, 4);
        qt().withExamples(40).forAll(lists().of(integers().between(0, 39 * 16 + 15)).ofSizeBetween(0, 6)).checkAssert(picks -> {
            List<Ed25519Batch.Item> batch = new ArrayList<>(base);
            for (int pick : picks) {
                int i = pick / 16;
                Ed25519Batch.Item it = batch.get(i);
                byte[] sig = it.signature().clone();
                int kind = pick % 16;
                if (kind < 12) sig[kind * 5] ^= 1;
                else if (kind == 12) sig = new byte[64];
                else if (kind == 13) sig = Arrays.copyOf(sig, 65);
                else if (kind == 14) it = new Ed25519Batch.Item(base.get((i + 1) % 40).key(), it.message(), sig);
                batch.set(i, new Ed25519Batch.Item(it.key(), it.message(), sig));
            }
            boolean[] ok = Ed25519Batch.verifyAll(batch);
            for (int i = 0; i < ok.length; i++) {
                Ed25519Batch.Item it = batch.get(i);
                assertThat(ok[i]).isEqualTo(Ed25519Batch.verify(it.key(), it.message(), it.signature()));
                assertThat(ok[i]).isEqualTo(it.key().verify(it.message(), it.signature()));
            }
        });
    }

    @Test
    void hostileInputsAreFalseVerdictsNotExceptions() {
        Ed25519Batch.Item it = signed(1, 1).get(0);
        assertThat(Ed25519Batch.verify(it.key(), it.message(), null)).isFalse();
        assertThat(Ed25519Batch.verify(null, it.message(), it.signature())).isFalse();
        assertThat(Ed25519Batch.verify(it.key(), null, it.signature())).isFalse();
        byte[] ones = new byte[64];
        Arrays.fill(ones, (byte) 0xFF);
        List<Ed25519Batch.Item> batch = List.of(it, new Ed25519Batch.Item(it.key(), it.message(), ones),
                new Ed25519Batch.Item(null, it.message(), it.signature()), new Ed25519Batch.Item(it.key(), it.message(), new byte[0]));
        assertThat(Ed25519Batch.verifyAll(batch)).containsExactly(true, false, false, false);
        assertThat(Ed25519Batch.verifyAll(List.of())).isEmpty();
    }
}

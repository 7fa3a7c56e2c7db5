package io.ggen.p2p.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two ChaCha20-Poly1305 implementations against each other: OpenSSL (through the
 * foreign-function API) must produce the JDK's bytes exactly, refuse what the JDK refuses, and
 * never touch memory outside the ranges it is given.
 */
class ChaChaPolyTest {
    private ChaChaPoly openssl;
    private ChaChaPoly jdk;

    @BeforeEach
    void keys() {
        // The test JVM is the product's: JDK 25 with native access on. OpenSSL must be chosen
        // there, or every other test of the transport would only exercise the fallback.
        assumeThat(Runtime.version().feature()).as("the OpenSSL binding needs Java 22+").isGreaterThanOrEqualTo(22);
        assertThat(ChaChaPolyEngine.usesOpenSsl()).as(ChaChaPolyEngine.description()).isTrue();
        openssl = ChaChaPolyEngine.newInstance();
        jdk = new JdkChaChaPoly();
    }

    @AfterEach
    void free() {
        if (openssl != null) openssl.destroy();
        if (jdk != null) jdk.destroy();
    }

    private byte[] keyBoth(SplittableRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        openssl.setKey(key);
        jdk.setKey(key);
        return key;
    }

    @Test
    void sealsOpensAndRefusesExactlyAsTheJdkDoes() {
        qt().withExamples(300).forAll(integers().between(0, 66_000), integers().between(0, 80), longs().all(), longs().all())
                .checkAssert((len, adLen, nonce, seed) -> {
                    long n = nonce == -1L ? 0 : nonce;
                    SplittableRandom random = new SplittableRandom(seed);
                    keyBoth(random);
                    byte[] plain = bytes(random, len);
                    byte[] ad = bytes(random, adLen);
                    byte[] want = new byte[len + 16];
                    byte[] got = new byte[len + 16];
                    try {
                        assertThat(jdk.seal(n, ad, plain, 0, len, want, 0)).isEqualTo(len + 16);
                        assertThat(openssl.seal(n, ad, plain, 0, len, got, 0)).isEqualTo(len + 16);
                        assertThat(got).isEqualTo(want);

                        // opened in place, as the transport does
                        byte[] wire = got.clone();
                        assertThat(openssl.open(n, ad, wire, 0, wire.length, wire, 0)).isEqualTo(len);
                        assertThat(Arrays.copyOf(wire, len)).isEqualTo(plain);

                        // one flipped bit anywhere, or the wrong nonce: refused, and no plaintext left
                        byte[] forged = got.clone();
                        forged[random.nextInt(forged.length)] ^= (byte) (1 << random.nextInt(8));
                        byte[] out = new byte[len];
                        Arrays.fill(out, (byte) 0x5a);
                        assertThatThrownBy(() -> openssl.open(n, ad, forged, 0, forged.length, out, 0)).isInstanceOf(NoiseException.class);
                        assertThat(out).isEqualTo(new byte[len]);
                        assertThatThrownBy(() -> jdk.open(n, ad, forged, 0, forged.length, new byte[len], 0)).isInstanceOf(NoiseException.class);
                        assertThatThrownBy(() -> openssl.open(n + 1 == -1L ? 0 : n + 1, ad, got, 0, got.length, new byte[len], 0))
                                .isInstanceOf(NoiseException.class);
                    } catch (NoiseException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void aPlaintextInPartsHeapOrDirectSealsAsOneDoes() {
        qt().withExamples(200).forAll(integers().between(0, 65_519), integers().between(1, 6), longs().all())
                .checkAssert((len, partCount, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    byte[] key = keyBoth(random);
                    byte[] plain = bytes(random, len);
                    List<ByteBuffer> parts = new ArrayList<>();
                    int at = 0;
                    for (int i = 0; i < partCount; i++) {
                        int end = i == partCount - 1 ? len : at + random.nextInt(len - at + 1);
                        int size = end - at;
                        if (random.nextBoolean()) {
                            // a heap part with its array larger than its view, as Netty's are
                            byte[] array = new byte[size + 7];
                            System.arraycopy(plain, at, array, 3, size);
                            parts.add(ByteBuffer.wrap(array, 3, size).slice());
                        } else {
                            parts.add(ByteBuffer.allocateDirect(size).put(plain, at, size).flip());
                        }
                        at = end;
                    }
                    long nonce = random.nextLong() & Long.MAX_VALUE;
                    byte[] want = new byte[len + 16];
                    byte[] got = new byte[len + 20];
                    try {
                        jdk.seal(nonce, new byte[0], plain, 0, len, want, 0);
                        ByteBuffer[] forOpenssl = parts.stream().map(ByteBuffer::duplicate).toArray(ByteBuffer[]::new);
                        assertThat(openssl.sealParts(nonce, forOpenssl, len, got, 4)).isEqualTo(len + 16);
                        ByteBuffer[] forJdk = parts.stream().map(ByteBuffer::duplicate).toArray(ByteBuffer[]::new);
                        byte[] jdkParts = new byte[len + 16];
                        // a second JDK cipher: the JDK refuses to encrypt twice under one key and nonce
                        ChaChaPoly jdkAgain = new JdkChaChaPoly();
                        jdkAgain.setKey(key);
                        jdkAgain.sealParts(nonce, forJdk, len, jdkParts, 0);
                        assertThat(Arrays.copyOfRange(got, 4, 4 + len + 16)).isEqualTo(want).isEqualTo(jdkParts);
                    } catch (NoiseException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void aMessageOpenedInPiecesAsItArrivesIsTheWholeMessageOpened() {
        qt().withExamples(200).forAll(integers().between(0, 65_519), integers().between(1, 8), longs().all())
                .checkAssert((len, pieceCount, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    keyBoth(random);
                    byte[] plain = bytes(random, len);
                    long nonce = random.nextLong() & Long.MAX_VALUE;
                    byte[] sealed = new byte[len + 16];
                    try {
                        jdk.seal(nonce, new byte[0], plain, 0, len, sealed, 0);
                        byte[] tag = Arrays.copyOfRange(sealed, len, len + 16);
                        byte[] out = new byte[len + 3];
                        openInPieces(nonce, sealed, len, pieceCount, random, out);
                        openssl.openFinish(tag, out, 3, len);
                        assertThat(Arrays.copyOfRange(out, 3, 3 + len)).isEqualTo(plain);

                        // a flipped bit in the ciphertext or the tag: refused, and the pieces' output wiped
                        byte[] forged = sealed.clone();
                        forged[random.nextInt(forged.length)] ^= (byte) (1 << random.nextInt(8));
                        byte[] forgedTag = Arrays.copyOfRange(forged, len, len + 16);
                        byte[] out2 = new byte[len + 3];
                        openInPieces(nonce, forged, len, pieceCount, random, out2);
                        assertThatThrownBy(() -> openssl.openFinish(forgedTag, out2, 3, len)).isInstanceOf(NoiseException.class);
                        assertThat(out2).isEqualTo(new byte[len + 3]);
                        // pieces without a begun message are refused
                        assertThatThrownBy(() -> openssl.openPiece(ByteBuffer.wrap(forged, 0, 1), out2, 0)).isInstanceOf(NoiseException.class);
                    } catch (NoiseException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    /** Feeds the first {@code len} bytes of {@code sealed} in random pieces, heap and direct, to out[3..]. */
    private void openInPieces(long nonce, byte[] sealed, int len, int pieceCount, SplittableRandom random, byte[] out) throws NoiseException {
        openssl.openBegin(nonce);
        int at = 0;
        for (int i = 0; i < pieceCount; i++) {
            int end = i == pieceCount - 1 ? len : at + random.nextInt(len - at + 1);
            int size = end - at;
            ByteBuffer piece = random.nextBoolean()
                    ? ByteBuffer.allocateDirect(size).put(sealed, at, size).flip()
                    : ByteBuffer.wrap(sealed, at, size);
            openssl.openPiece(piece, out, 3 + at);
            at = end;
        }
    }

    @Test
    void sealingIntoADirectBufferGivesTheBytesSealingIntoAnArrayDoes() throws NoiseException {
        SplittableRandom random = new SplittableRandom(3);
        byte[] key = keyBoth(random);
        for (int len : new int[] {0, 1, 100, 65_519}) {
            byte[] plain = bytes(random, len);
            byte[] want = new byte[len + 16];
            JdkChaChaPoly reference = new JdkChaChaPoly();
            reference.setKey(key);
            reference.seal(len, new byte[0], plain, 0, len, want, 0);
            ByteBuffer out = ByteBuffer.allocateDirect(len + 16 + 8).position(5);
            ByteBuffer[] parts = {ByteBuffer.wrap(plain, 0, len / 2), ByteBuffer.allocateDirect(len - len / 2).put(plain, len / 2, len - len / 2).flip()};
            assertThat(openssl.sealInto(len, parts, len, out)).isEqualTo(len + 16);
            assertThat(out.position()).isEqualTo(5);
            byte[] got = new byte[len + 16];
            out.get(5, got);
            assertThat(got).isEqualTo(want);
            assertThatThrownBy(() -> openssl.sealInto(0, new ByteBuffer[] {ByteBuffer.wrap(plain)}, len, ByteBuffer.allocateDirect(len + 15)))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void rangesOutsideTheArraysAreRefusedBeforeAnyByteIsWritten() throws NoiseException {
        keyBoth(new SplittableRandom(1));
        byte[] in = new byte[100];
        byte[] out = new byte[115];
        Arrays.fill(out, (byte) 7);
        for (ChaChaPoly c : List.of(openssl, jdk)) {
            assertThatThrownBy(() -> c.seal(0, new byte[0], in, 0, 100, out, 0)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> c.seal(0, new byte[0], in, 1, 100, new byte[200], 0)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> c.seal(0, new byte[0], in, -1, 10, new byte[200], 0)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> c.open(0, new byte[0], in, 0, 101, new byte[200], 0)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> c.open(0, new byte[0], in, 0, 100, new byte[83], 0)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> c.open(0, new byte[0], in, 0, 15, new byte[10], 0)).isInstanceOf(NoiseException.class);
            // in place is allowed; overlapping at another offset is not
            byte[] shared = new byte[300];
            assertThatThrownBy(() -> c.seal(0, new byte[0], shared, 0, 100, shared, 50)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.open(0, new byte[0], shared, 50, 116, shared, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.sealParts(0, new ByteBuffer[] {ByteBuffer.wrap(in)}, 100, out, 0)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(out).containsOnly(7);
        }
        byte[] shared = new byte[300];
        assertThat(openssl.seal(0, new byte[0], shared, 0, 100, shared, 0)).isEqualTo(116);
    }

    @Test
    void aDestroyedCipherRefusesWorkAndFreesOnce() throws NoiseException {
        keyBoth(new SplittableRandom(2));
        openssl.destroy();
        openssl.destroy();
        assertThatThrownBy(() -> openssl.seal(0, new byte[0], new byte[1], 0, 1, new byte[17], 0)).isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> openssl.setKey(new byte[32])).isInstanceOf(IllegalStateException.class);

        // each destroy frees its native context at once: 1,000 destroys, at least 1,000 fewer
        // (other tests' leftovers freed by the Cleaner meanwhile only lower the count further)
        List<ChaChaPoly> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) many.add(ChaChaPolyEngine.newInstance());
        long whileHeld = ChaChaPolyEngine.nativeContexts();
        many.forEach(ChaChaPoly::destroy);
        assertThat(whileHeld - ChaChaPolyEngine.nativeContexts()).isGreaterThanOrEqualTo(1000);

        CipherState state = new CipherState(new byte[32]);
        state.encrypt(new byte[1], 0, 1, new byte[17], 0);
        state.destroy();
        assertThatThrownBy(() -> state.encrypt(new byte[1], 0, 1, new byte[17], 0)).isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> state.decrypt(new byte[17], 0, 17, new byte[1], 0)).isInstanceOf(NoiseException.class);
    }

    @Test
    void splitFreesTheHandshakesOwnCipher() throws NoiseException {
        SymmetricState handshake = new SymmetricState("Noise_XX_25519_ChaChaPoly_SHA256");
        handshake.mixKey(new byte[32]);
        assertThat(handshake.hasKey()).isTrue();
        CipherState[] transport = handshake.split();
        assertThat(handshake.hasKey()).as("the handshake's key is gone after Split").isFalse();
        assertThat(transport[0].hasKey()).isTrue();
        assertThat(transport[1].encrypt(new byte[3], 0, 3, new byte[19], 0)).isEqualTo(19);
    }

    @Test
    void theNativeContextsOfUnreachableCiphersAreFreed() throws NoiseException {
        // A failed handshake's cipher state is never destroyed explicitly: its native context must
        // go with it, through the Cleaner, or every failed handshake would leak a few hundred bytes.
        byte[] key = new byte[32];
        List<CipherState> held = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            CipherState s = new CipherState(key);
            s.encrypt(new byte[1], 0, 1, new byte[17], 0);
            held.add(s);
        }
        // Counted while all are held: then at least 20,000 fewer once they are collected. (Other
        // tests' leftovers being freed meanwhile only lower the count further.)
        long whileHeld = ChaChaPolyEngine.nativeContexts();
        held.clear();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            System.gc();
            assertThat(whileHeld - ChaChaPolyEngine.nativeContexts()).isGreaterThanOrEqualTo(20_000);
        });
    }

    @Test
    void theSelfTestsKnownAnswersAreTheJdksAndCatchAWrongCipher() throws NoiseException {
        assertThat(ChaChaPolyEngine.selfTest(JdkChaChaPoly::new)).isNull();
        assertThat(ChaChaPolyEngine.selfTest(ChaChaPolyEngine::newInstance)).isNull();
        // a cipher that gets the last byte of long messages wrong, one that accepts anything
        assertThat(ChaChaPolyEngine.selfTest(() -> new Delegating() {
            @Override
            int sealParts(long nonce, ByteBuffer[] parts, long total, byte[] out, int outOff) throws NoiseException {
                int n = super.sealParts(nonce, parts, total, out, outOff);
                out[outOff + n - 1] ^= 1;
                return n;
            }
        })).contains("4 KiB");
        assertThat(ChaChaPolyEngine.selfTest(() -> new Delegating() {
            @Override
            int open(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
                try {
                    return super.open(nonce, ad, in, inOff, len, out, outOff);
                } catch (NoiseException refused) {
                    return len - 16;
                }
            }
        })).contains("flipped bit");
    }

    /** The JDK's cipher behind a class a test can override. */
    private static class Delegating extends ChaChaPoly {
        private final ChaChaPoly inner = new JdkChaChaPoly();

        @Override
        void setKey(byte[] key) {
            inner.setKey(key);
        }

        @Override
        int seal(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
            return inner.seal(nonce, ad, in, inOff, len, out, outOff);
        }

        @Override
        int sealParts(long nonce, ByteBuffer[] parts, long total, byte[] out, int outOff) throws NoiseException {
            return inner.sealParts(nonce, parts, total, out, outOff);
        }

        @Override
        int open(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
            return inner.open(nonce, ad, in, inOff, len, out, outOff);
        }

        @Override
        void destroy() {
            inner.destroy();
        }
    }

    @Test
    void aJvmWithoutNativeAccessUsesTheJdkCipherWithoutAWarning() throws Exception {
        Outcome withoutAccess = runProbe();
        assertThat(withoutAccess.stdout).startsWith("JDK").contains("native access");
        assertThat(withoutAccess.stderr).doesNotContain("WARNING");
        Outcome chosen = runProbe("--enable-native-access=ALL-UNNAMED", "-D" + ChaChaPolyEngine.PROPERTY + "=jdk");
        assertThat(chosen.stdout).startsWith("JDK").contains(ChaChaPolyEngine.PROPERTY + "=jdk");
        Outcome withAccess = runProbe("--enable-native-access=ALL-UNNAMED");
        assertThat(withAccess.stdout).startsWith("OpenSSL").contains("libcrypto");
        assertThat(withAccess.stderr).doesNotContain("WARNING");
    }

    private record Outcome(String stdout, String stderr) {}

    private static Outcome runProbe(String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), EngineProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe JVM did not finish in 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isZero();
        return new Outcome(out, err);
    }

    /** Prints which implementation a fresh JVM chose. */
    public static final class EngineProbe {
        public static void main(String[] args) {
            System.out.println(ChaChaPolyEngine.description());
        }
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}

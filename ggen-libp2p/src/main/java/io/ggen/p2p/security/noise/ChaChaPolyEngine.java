package io.ggen.p2p.security.noise;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, once per process, which ChaCha20-Poly1305 the Noise cipher states use.
 *
 * <p>The system's OpenSSL (libcrypto 3 or 1.1), called through the foreign-function API, seals
 * and opens 64 KiB messages for about 0.78x the CPU of the JDK's intrinsics on the same CPU
 * (0.62 against 0.80 CPU-s per GiB), and reads and writes direct buffers, which spares the
 * transport two copies; the cipher is the largest single cost of a bulk transfer (BENCHMARKS.md,
 * round seven). It is used when all of these hold, else the JDK's {@code Cipher}:
 * <ul>
 *   <li>the JVM is 22 or newer (the binding, {@code OpenSslChaChaPoly}, is compiled for 22, where
 *       the API is final; on 21 its class does not load);
 *   <li>native access is enabled for this code ({@code --enable-native-access=ALL-UNNAMED}, which
 *       the node's launcher passes): without it the JDK would print a warning on every start;
 *   <li>a libcrypto with ChaCha20-Poly1305 is found;
 *   <li>a self-test passes: OpenSSL seals known messages (with and without associated data, in
 *       one part and in two) to the known bytes, opens them, and refuses a flipped bit.
 * </ul>
 * System property {@value #PROPERTY}: {@code auto} (the default, as above), {@code jdk}, or
 * {@code openssl} (as auto, but a failure to use OpenSSL is logged as a warning).
 */
public final class ChaChaPolyEngine {
    public static final String PROPERTY = "ggen.p2p.chachapoly";
    private static final Logger LOG = LoggerFactory.getLogger(ChaChaPolyEngine.class);
    private static final String OPENSSL_CLASS = "io.ggen.p2p.security.noise.OpenSslChaChaPoly";

    private static final AtomicBoolean PREPARING = new AtomicBoolean();

    /** The choice, made when first needed (the holder idiom): binding OpenSSL takes about 0.1 s on a cold JVM. */
    private static final class Chosen {
        static final Choice CHOICE = choose(System.getProperty(PROPERTY, "auto"));
    }

    /** The implementation in use, its count of live native contexts (null for the JDK's), and its description. */
    private record Choice(Supplier<ChaChaPoly> factory, LongSupplier nativeContexts, String description) {}

    private static Choice choose(String property) {
        String wanted = property.trim().toLowerCase(Locale.ROOT);
        String jdk = "JDK (" + Runtime.version().feature() + ")";
        return switch (wanted) {
            case "jdk" -> new Choice(JdkChaChaPoly::new, null, jdk + ", by " + PROPERTY + "=jdk");
            case "auto", "openssl" -> {
                String[] why = new String[1];
                Choice openssl = loadOpenSsl(why);
                if (openssl != null) yield openssl;
                if (wanted.equals("openssl")) LOG.warn("{}=openssl, but OpenSSL cannot be used: {}", PROPERTY, why[0]);
                yield new Choice(JdkChaChaPoly::new, null, jdk + "; OpenSSL not used: " + why[0]);
            }
            default -> {
                LOG.warn("{}={} is not one of auto, jdk, openssl; using the JDK's ChaCha20-Poly1305", PROPERTY, wanted);
                yield new Choice(JdkChaChaPoly::new, null, jdk + "; " + PROPERTY + "=" + wanted + " is not auto, jdk or openssl");
            }
        };
    }

    private ChaChaPolyEngine() {}

    /**
     * Makes the choice on a background thread, once per process, so that the first connection
     * does not wait for OpenSSL to be bound (about 0.1 s on a cold JVM: the JDK's linker and one
     * downcall handle per function). A host calls this as it starts; a connection that comes
     * sooner waits for the choice as it would have made it.
     */
    public static void prepareInBackground() {
        if (PREPARING.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("ggen-cipher-init").start(() -> LOG.debug("ChaCha20-Poly1305: {}", description()));
        }
    }

    /** A new, unkeyed instance of the chosen implementation. */
    static ChaChaPoly newInstance() {
        return Chosen.CHOICE.factory().get();
    }

    /** Which implementation is in use, for status output and logs: "OpenSSL 3.x ..." or "JDK (25)...". */
    public static String description() {
        return Chosen.CHOICE.description();
    }

    /** Native cipher contexts allocated and not yet freed (OpenSSL's), 0 with the JDK's cipher. */
    public static long nativeContexts() {
        return Chosen.CHOICE.nativeContexts() == null ? 0 : Chosen.CHOICE.nativeContexts().getAsLong();
    }

    /** True when the OpenSSL binding is in use. */
    public static boolean usesOpenSsl() {
        return Chosen.CHOICE.nativeContexts() != null;
    }

    /** OpenSSL's choice (factory, count of live contexts, library), or null with the reason in {@code why[0]}. */
    @SuppressWarnings("unchecked")
    private static Choice loadOpenSsl(String[] why) {
        Supplier<ChaChaPoly> factory;
        LongSupplier live;
        String version;
        try {
            Class<?> binding = Class.forName(OPENSSL_CLASS, true, ChaChaPolyEngine.class.getClassLoader());
            var lookup = MethodHandles.lookup();
            factory = (Supplier<ChaChaPoly>) lookup.findStatic(binding, "factory", MethodType.methodType(Supplier.class)).invoke();
            version = (String) lookup.findStatic(binding, "description", MethodType.methodType(String.class)).invoke();
            MethodHandle liveContexts = lookup.findStatic(binding, "liveContexts", MethodType.methodType(long.class));
            live = () -> {
                try {
                    return (long) liveContexts.invokeExact();
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (ClassNotFoundException e) {
            why[0] = "this build has no OpenSSL binding (built with JDK 21)";
            return null;
        } catch (UnsupportedClassVersionError e) {
            why[0] = "needs Java 22 or newer, this is " + Runtime.version().feature();
            return null;
        } catch (Throwable e) {
            Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            why[0] = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            return null;
        }
        try {
            String failure = selfTest(factory);
            if (failure != null) {
                why[0] = "its self-test failed: " + failure;
                return null;
            }
        } catch (NoiseException | RuntimeException e) {
            why[0] = "its self-test failed: " + e;
            return null;
        }
        return new Choice(factory, live, version);
    }

    /** Known answer 1: RFC 8439's AEAD key, plaintext and associated data (section 2.8.2), under the Noise nonce 0x4746454443424140. */
    private static final long KAT1_NONCE = 0x4746454443424140L;
    private static final String KAT1_AD = "50515253c0c1c2c3c4c5c6c7";
    private static final String KAT1_PLAINTEXT =
            "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
    private static final String KAT1_SEALED = "a479cb54628946d6f4042a8e384ef4bd2fbc7330b8be55eb2d8dc18aaa51d66a8ec1f8d3619a258d"
            + "b0ac56956015b7b4937e9b8e6aa957b3dc0214d803d77660aabc913092971da8f207171ce7843608162e2e759d8efc25d8d0936990af63"
            + "c820ba87e8a955b5c8274ef7d10f6fafd046472dbf189b668bd430aef9147e99cb6c89";
    /** Known answer 2: 4,096 bytes ({@code i * 7 + 3}), no associated data, nonce 1: the SHA-256 of what is sealed. */
    private static final String KAT2_SEALED_SHA256 = "20fe6625e8574c9c15a41373ea57871ebdb9e36e00f8b5d502e0ac74d901f36d";

    /**
     * Checks an implementation against known answers (computed with the JDK's cipher; a test
     * holds the JDK's to them too): a short message with associated data, sealed whole and
     * opened; 4 KiB sealed in a heap and a direct part; and a flipped bit refused. Null when all
     * hold, else what failed. Small and JDK-free on purpose: it runs as the first connection of
     * the process is made.
     */
    static String selfTest(Supplier<ChaChaPoly> candidate) throws NoiseException {
        ChaChaPoly tested = candidate.get();
        try {
            byte[] key = new byte[ChaChaPoly.KEY_LENGTH];
            for (int i = 0; i < key.length; i++) key[i] = (byte) (0x80 + i);
            tested.setKey(key);
            HexFormat hex = HexFormat.of();
            byte[] ad = hex.parseHex(KAT1_AD);
            byte[] plain = KAT1_PLAINTEXT.getBytes(StandardCharsets.US_ASCII);
            byte[] sealed = new byte[plain.length + ChaChaPoly.TAG_LENGTH];
            tested.seal(KAT1_NONCE, ad, plain, 0, plain.length, sealed, 0);
            if (!Arrays.equals(sealed, hex.parseHex(KAT1_SEALED))) return "sealed a known message to other bytes";
            byte[] opened = new byte[plain.length];
            if (tested.open(KAT1_NONCE, ad, sealed, 0, sealed.length, opened, 0) != plain.length || !Arrays.equals(opened, plain)) {
                return "did not open a message it sealed";
            }
            sealed[sealed.length - 1] ^= 1;
            try {
                tested.open(KAT1_NONCE, ad, sealed, 0, sealed.length, opened, 0);
                return "opened a message with a flipped bit";
            } catch (NoiseException expected) {
                // refused, as it must be
            }

            byte[] big = new byte[4096];
            for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 7 + 3);
            ByteBuffer[] parts = {ByteBuffer.wrap(big, 0, 1000), ByteBuffer.allocateDirect(big.length - 1000).put(big, 1000, big.length - 1000).flip()};
            byte[] bigSealed = new byte[big.length + ChaChaPoly.TAG_LENGTH];
            tested.sealParts(1, parts, big.length, bigSealed, 0);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bigSealed);
            if (!Arrays.equals(digest, hex.parseHex(KAT2_SEALED_SHA256))) return "sealed 4 KiB in two parts to other bytes";
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        } finally {
            tested.destroy();
        }
    }
}

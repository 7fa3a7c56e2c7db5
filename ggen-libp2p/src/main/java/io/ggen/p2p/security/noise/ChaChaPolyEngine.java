package io.ggen.p2p.security.noise;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, once per process, which ChaCha20-Poly1305 the Noise cipher states use.
 *
 * <p>The system's OpenSSL (libcrypto 3 or 1.1), called through the foreign-function API, seals
 * and opens 64 KiB messages about 1.4x as fast as the JDK's intrinsics on the same CPU, and
 * the cipher is the largest single cost of a bulk transfer (BENCHMARKS.md, "The cipher's
 * floor"). It is used when all of these hold, else the JDK's {@code Cipher}:
 * <ul>
 *   <li>the JVM is 22 or newer (the binding, {@code OpenSslChaChaPoly}, is compiled for 22, where
 *       the API is final; on 21 its class does not load);
 *   <li>native access is enabled for this code ({@code --enable-native-access=ALL-UNNAMED}, which
 *       the node's launcher passes): without it the JDK would print a warning on every start;
 *   <li>a libcrypto with ChaCha20-Poly1305 is found;
 *   <li>a self-test passes: both implementations seal the same messages (with and without
 *       associated data, in one part and in several) to the same bytes, and OpenSSL's open
 *       refuses a flipped bit.
 * </ul>
 * System property {@value #PROPERTY}: {@code auto} (the default, as above), {@code jdk}, or
 * {@code openssl} (as auto, but a failure to use OpenSSL is logged as a warning).
 */
public final class ChaChaPolyEngine {
    public static final String PROPERTY = "ggen.p2p.chachapoly";
    private static final Logger LOG = LoggerFactory.getLogger(ChaChaPolyEngine.class);
    private static final String OPENSSL_CLASS = "io.ggen.p2p.security.noise.OpenSslChaChaPoly";

    private static final Choice CHOICE = choose(System.getProperty(PROPERTY, "auto"));

    /** The implementation in use, its count of live native contexts (null for the JDK's), and its description. */
    private record Choice(Supplier<ChaChaPoly> factory, LongSupplier nativeContexts, String description) {}

    private static Choice choose(String property) {
        String wanted = property.trim().toLowerCase(Locale.ROOT);
        String jdk = "JDK (" + Runtime.version().feature() + ")";
        Choice choice = switch (wanted) {
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
        LOG.debug("ChaCha20-Poly1305: {}", choice.description());
        return choice;
    }

    private ChaChaPolyEngine() {}

    /** A new, unkeyed instance of the chosen implementation. */
    static ChaChaPoly newInstance() {
        return CHOICE.factory().get();
    }

    /** Which implementation is in use, for status output and logs: "OpenSSL 3.x ..." or "JDK (25)...". */
    public static String description() {
        return CHOICE.description();
    }

    /** Native cipher contexts allocated and not yet freed (OpenSSL's), 0 with the JDK's cipher. */
    public static long nativeContexts() {
        return CHOICE.nativeContexts() == null ? 0 : CHOICE.nativeContexts().getAsLong();
    }

    /** True when the OpenSSL binding is in use. */
    public static boolean usesOpenSsl() {
        return CHOICE.nativeContexts() != null;
    }

    /**
     * The OpenSSL factory and its count of live contexts, or null with the reason in
     * {@code why[0]}; on success {@code why[0]} is the library's description.
     */
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

    /**
     * Seals the same messages with OpenSSL and with the JDK and compares the bytes, then checks
     * that OpenSSL opens what it sealed and refuses a flipped bit; null when all agree.
     */
    static String selfTest(Supplier<ChaChaPoly> candidate) throws NoiseException {
        SplittableRandom random = new SplittableRandom(0x6767656eL);
        byte[] key = new byte[ChaChaPoly.KEY_LENGTH];
        random.nextBytes(key);
        ChaChaPoly tested = candidate.get();
        ChaChaPoly reference = new JdkChaChaPoly();
        try {
            tested.setKey(key);
            reference.setKey(key);
            int[] lengths = {0, 1, 63, 64, 65, 1000, 65519};
            for (int i = 0; i < lengths.length; i++) {
                int len = lengths[i];
                byte[] plain = new byte[len];
                random.nextBytes(plain);
                byte[] ad = (i % 2 == 0) ? new byte[0] : new byte[32];
                random.nextBytes(ad);
                long nonce = (i == 3) ? 0x0102030405060708L : i;
                byte[] want = new byte[len + ChaChaPoly.TAG_LENGTH];
                byte[] got = new byte[len + ChaChaPoly.TAG_LENGTH];
                reference.seal(nonce, ad, plain, 0, len, want, 0);
                tested.seal(nonce, ad, plain, 0, len, got, 0);
                if (!Arrays.equals(want, got)) return "sealed " + len + " bytes differently from the JDK";
                if (ad.length == 0) {
                    int cut = len / 3;
                    ByteBuffer[] parts = {ByteBuffer.wrap(plain, 0, cut), ByteBuffer.allocateDirect(len - cut).put(plain, cut, len - cut).flip()};
                    byte[] inParts = new byte[len + ChaChaPoly.TAG_LENGTH];
                    tested.sealParts(nonce, parts, len, inParts, 0);
                    if (!Arrays.equals(want, inParts)) return "sealed " + len + " bytes in two parts differently from the JDK";
                }
                byte[] opened = new byte[len];
                if (tested.open(nonce, ad, got, 0, got.length, opened, 0) != len || !Arrays.equals(opened, plain)) {
                    return "did not open " + len + " bytes it sealed";
                }
                got[random.nextInt(got.length)] ^= (byte) (1 << random.nextInt(8));
                try {
                    tested.open(nonce, ad, got, 0, got.length, opened, 0);
                    return "opened a message with a flipped bit";
                } catch (NoiseException expected) {
                    // the tag check refused it, as it must
                }
            }
            return null;
        } finally {
            tested.destroy();
            reference.destroy();
        }
    }
}

package io.ggen.p2p.security.noise;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * ChaCha20-Poly1305 from the system's OpenSSL libcrypto (its EVP interface), called through the
 * foreign-function API. This file is compiled with {@code --release 22}, where that API is final;
 * {@link ChaChaPolyEngine} loads it by name and falls back to the JDK's cipher when it cannot.
 *
 * <p>Safety rests on three rules. Every range handed to C is checked in Java first (a pointer
 * and a length are all OpenSSL sees). The calls are "critical" downcalls that take heap arrays
 * directly (no copy into native memory), which is allowed because each is short and never calls
 * back into Java: at most one 64 KiB message, about 20 us. The native context is freed exactly
 * once, by {@link #destroy} or, if that is never called, by a {@link Cleaner} once the instance
 * is unreachable (so never while in use).
 *
 * <p>The EVP calls per message: one init that sets only the nonce (the key stays in the context),
 * one update per part, the final, and one control call for the tag. Associated data is an update
 * with no output buffer.
 *
 * <p>Calling C is this class's purpose, so javac's notes on restricted methods (library lookup,
 * downcall handles, reinterpreting the version string's pointer) are silenced for it alone; the
 * JVM still allows them only with native access enabled, which the engine checks first.
 */
@SuppressWarnings("restricted")
final class OpenSslChaChaPoly extends ChaChaPoly {
    private static final int CTRL_AEAD_GET_TAG = 0x10;
    private static final int CTRL_AEAD_SET_TAG = 0x11;
    private static final int OPENSSL_VERSION = 0;
    /** Names tried in order: OpenSSL 3, 1.1, then the unversioned development link. */
    private static final String[] LIBRARIES = {"libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"};
    private static final Cleaner CLEANER = Cleaner.create();
    /** Native contexts allocated and not yet freed: a gauge, and how a test sees the Cleaner work. */
    private static final AtomicLong LIVE_CONTEXTS = new AtomicLong();

    private static final String LIBRARY_NAME;
    private static final MethodHandle CTX_NEW;
    private static final MethodHandle CTX_FREE;
    private static final MethodHandle CIPHER_INIT;
    private static final MethodHandle CIPHER_UPDATE;
    private static final MethodHandle CIPHER_FINAL;
    private static final MethodHandle CTX_CTRL;
    private static final MethodHandle ERR_CLEAR;
    private static final MethodHandle VERSION;
    private static final MemorySegment CHACHA20_POLY1305;

    static {
        if (!OpenSslChaChaPoly.class.getModule().isNativeAccessEnabled()) {
            throw new IllegalStateException("native access is not enabled (the JVM needs --enable-native-access=ALL-UNNAMED)");
        }
        SymbolLookup library = null;
        String name = null;
        List<String> tried = new ArrayList<>();
        for (String candidate : LIBRARIES) {
            try {
                library = SymbolLookup.libraryLookup(candidate, Arena.global());
                name = candidate;
                break;
            } catch (IllegalArgumentException notFound) {
                tried.add(candidate);
            }
        }
        if (library == null) throw new IllegalStateException("no libcrypto found (tried " + String.join(", ", tried) + ")");
        LIBRARY_NAME = name;
        Linker linker = Linker.nativeLinker();
        AddressLayout ptr = ValueLayout.ADDRESS;
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT;
        Linker.Option critical = Linker.Option.critical(true);
        CTX_NEW = bind(linker, library, "EVP_CIPHER_CTX_new", FunctionDescriptor.of(ptr));
        CTX_FREE = bind(linker, library, "EVP_CIPHER_CTX_free", FunctionDescriptor.ofVoid(ptr));
        CIPHER_INIT = bind(linker, library, "EVP_CipherInit_ex", FunctionDescriptor.of(i32, ptr, ptr, ptr, ptr, ptr, i32), critical);
        CIPHER_UPDATE = bind(linker, library, "EVP_CipherUpdate", FunctionDescriptor.of(i32, ptr, ptr, ptr, ptr, i32), critical);
        CIPHER_FINAL = bind(linker, library, "EVP_CipherFinal_ex", FunctionDescriptor.of(i32, ptr, ptr, ptr), critical);
        CTX_CTRL = bind(linker, library, "EVP_CIPHER_CTX_ctrl", FunctionDescriptor.of(i32, ptr, i32, i32, ptr), critical);
        ERR_CLEAR = bind(linker, library, "ERR_clear_error", FunctionDescriptor.ofVoid());
        VERSION = bind(linker, library, "OpenSSL_version", FunctionDescriptor.of(ptr.withTargetLayout(ValueLayout.JAVA_BYTE), i32));
        MethodHandle cipher = bind(linker, library, "EVP_chacha20_poly1305", FunctionDescriptor.of(ptr));
        try {
            CHACHA20_POLY1305 = (MemorySegment) cipher.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("EVP_chacha20_poly1305 failed: " + e, e);
        }
        if (CHACHA20_POLY1305.equals(MemorySegment.NULL)) throw new IllegalStateException(name + " has no ChaCha20-Poly1305");
    }

    private static MethodHandle bind(Linker linker, SymbolLookup library, String symbol, FunctionDescriptor signature, Linker.Option... options) {
        MemorySegment address = library.find(symbol).orElseThrow(() -> new IllegalStateException("libcrypto has no " + symbol));
        return linker.downcallHandle(address, signature, options);
    }

    /** Called by {@link ChaChaPolyEngine} (by name): the factory of keyed-to-be instances. */
    static Supplier<ChaChaPoly> factory() {
        return OpenSslChaChaPoly::new;
    }

    /** Called by {@link ChaChaPolyEngine} (by name): native contexts not yet freed. */
    static long liveContexts() {
        return LIVE_CONTEXTS.get();
    }

    /** Called by {@link ChaChaPolyEngine} (by name): which library this is, for status and logs. */
    static String description() {
        try {
            MemorySegment text = (MemorySegment) VERSION.invokeExact(OPENSSL_VERSION);
            String version = text.equals(MemorySegment.NULL) ? "OpenSSL" : text.reinterpret(256).getString(0);
            return version + " (" + LIBRARY_NAME + ")";
        } catch (Throwable e) {
            return "OpenSSL (" + LIBRARY_NAME + ")";
        }
    }

    /** The native EVP_CIPHER_CTX; null once destroyed. */
    private MemorySegment ctx;
    private final Cleaner.Cleanable freeContext;
    private boolean keyed;
    /** Between {@link #openBegin} and {@link #openFinish}: a message is being opened in pieces. */
    private boolean opening;
    private final byte[] nonceBytes = new byte[12];
    /** EVP's out-parameter for the bytes written. */
    private final int[] written = new int[1];

    private OpenSslChaChaPoly() {
        MemorySegment context;
        try {
            context = (MemorySegment) CTX_NEW.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("EVP_CIPHER_CTX_new failed", e);
        }
        if (context.equals(MemorySegment.NULL)) throw new OutOfMemoryError("EVP_CIPHER_CTX_new returned NULL");
        ctx = context;
        LIVE_CONTEXTS.incrementAndGet();
        freeContext = CLEANER.register(this, new FreeContext(context));
    }

    /** Frees one context; holds no reference to its instance, so the Cleaner can run it. */
    private record FreeContext(MemorySegment context) implements Runnable {
        @Override
        public void run() {
            try {
                CTX_FREE.invokeExact(context);
            } catch (Throwable ignored) {
                // EVP_CIPHER_CTX_free returns nothing and cannot fail
            }
            LIVE_CONTEXTS.decrementAndGet();
        }
    }

    @Override
    void setKey(byte[] key) {
        if (key.length != KEY_LENGTH) throw new IllegalArgumentException("ChaChaPoly key must be 32 bytes");
        if (ctx == null) throw new IllegalStateException("cipher destroyed");
        int ok;
        try {
            ok = (int) CIPHER_INIT.invokeExact(ctx, CHACHA20_POLY1305, MemorySegment.NULL, MemorySegment.ofArray(key), MemorySegment.NULL, 1);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (ok != 1) {
            keyed = false;
            clearErrors();
            throw new IllegalStateException("OpenSSL refused a ChaCha20-Poly1305 key");
        }
        keyed = true;
    }

    @Override
    int seal(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
        checkRange(in.length, inOff, len);
        checkRange(out.length, outOff, len + TAG_LENGTH);
        checkNoPartialOverlap(in, inOff, len, out, outOff, len + TAG_LENGTH);
        begin(nonce, 1);
        MemorySegment output = MemorySegment.ofArray(out);
        int at = outOff;
        if (ad.length > 0) associatedData(ad);
        if (len > 0) at += update(output.asSlice(at, len), MemorySegment.ofArray(in).asSlice(inOff, len), len);
        return finishSeal(output, outOff, at);
    }

    @Override
    int sealParts(long nonce, ByteBuffer[] parts, long total, byte[] out, int outOff) throws NoiseException {
        checkRange(out.length, outOff, Math.toIntExact(total + TAG_LENGTH));
        long sum = 0;
        for (ByteBuffer part : parts) sum += part.remaining();
        if (sum != total) throw new IllegalArgumentException("parts hold " + sum + " bytes, not " + total);
        begin(nonce, 1);
        MemorySegment output = MemorySegment.ofArray(out);
        int at = outOff;
        for (ByteBuffer part : parts) {
            int len = part.remaining();
            if (len == 0) continue;
            // A heap part is passed as its array, a direct one as its native memory: no copies.
            MemorySegment input = part.hasArray()
                    ? MemorySegment.ofArray(part.array()).asSlice(part.arrayOffset() + part.position(), len)
                    : MemorySegment.ofBuffer(part);
            at += update(output.asSlice(at, len), input, len);
        }
        return finishSeal(output, outOff, at);
    }

    @Override
    int open(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
        if (len < TAG_LENGTH) throw new NoiseException("ciphertext shorter than its authentication tag");
        int plainLen = len - TAG_LENGTH;
        checkRange(in.length, inOff, len);
        checkRange(out.length, outOff, plainLen);
        checkNoPartialOverlap(in, inOff, len, out, outOff, plainLen);
        begin(nonce, 0);
        MemorySegment input = MemorySegment.ofArray(in);
        MemorySegment output = MemorySegment.ofArray(out);
        // The expected tag goes into the context first: OpenSSL checks it in the final call.
        control(CTRL_AEAD_SET_TAG, input.asSlice(inOff + plainLen, TAG_LENGTH));
        if (ad.length > 0) associatedData(ad);
        int at = outOff;
        if (plainLen > 0) at += update(output.asSlice(at, plainLen), input.asSlice(inOff, plainLen), plainLen);
        return at + finishOpen(output.asSlice(at), out, outOff, plainLen) - outOff;
    }

    /**
     * The final call of an open, where OpenSSL checks the tag set before; returns the bytes it
     * wrote at {@code end} (none, for a stream cipher). On a mismatch it wipes the
     * {@code plainLen} bytes already decrypted at {@code out[outOff]}: OpenSSL decrypts before
     * it checks, and unauthenticated plaintext must not stay.
     */
    private int finishOpen(MemorySegment end, byte[] out, int outOff, int plainLen) throws NoiseException {
        int ok;
        try {
            ok = (int) CIPHER_FINAL.invokeExact(ctx, end, MemorySegment.ofArray(written));
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (ok != 1) {
            Arrays.fill(out, outOff, outOff + plainLen, (byte) 0);
            clearErrors();
            throw new NoiseException("decryption failed: authentication tag mismatch");
        }
        return written[0];
    }

    @Override
    boolean worksOnNativeMemory() {
        return true;
    }

    @Override
    int sealInto(long nonce, ByteBuffer[] parts, long total, ByteBuffer out) throws NoiseException {
        if (total + TAG_LENGTH > out.remaining()) {
            throw new IndexOutOfBoundsException((total + TAG_LENGTH) + " bytes do not fit in the " + out.remaining() + " remaining");
        }
        long sum = 0;
        for (ByteBuffer part : parts) sum += part.remaining();
        if (sum != total) throw new IllegalArgumentException("parts hold " + sum + " bytes, not " + total);
        begin(nonce, 1);
        // ofBuffer covers position..limit; the slices below stay inside it.
        MemorySegment output = MemorySegment.ofBuffer(out);
        int at = 0;
        for (ByteBuffer part : parts) {
            int len = part.remaining();
            if (len == 0) continue;
            at += update(output.asSlice(at, len), MemorySegment.ofBuffer(part), len);
        }
        return finishSeal(output, 0, at);
    }

    @Override
    void openBegin(long nonce) throws NoiseException {
        opening = false;
        begin(nonce, 0);
        opening = true;
    }

    @Override
    void openPiece(ByteBuffer in, byte[] out, int outOff) throws NoiseException {
        if (!opening) throw new NoiseException("no message is being opened");
        int len = in.remaining();
        checkRange(out.length, outOff, len);
        if (len > 0) update(MemorySegment.ofArray(out).asSlice(outOff, len), MemorySegment.ofBuffer(in), len);
    }

    @Override
    void openFinish(byte[] tag, byte[] out, int outOff, int plainLen) throws NoiseException {
        if (!opening) throw new NoiseException("no message is being opened");
        if (tag.length != TAG_LENGTH) throw new IllegalArgumentException("a tag is 16 bytes");
        checkRange(out.length, outOff, plainLen);
        opening = false;
        control(CTRL_AEAD_SET_TAG, MemorySegment.ofArray(tag));
        finishOpen(MemorySegment.ofArray(out).asSlice(outOff + plainLen, 0), out, outOff, plainLen);
    }

    @Override
    void destroy() {
        ctx = null;
        keyed = false;
        opening = false;
        freeContext.clean(); // runs FreeContext at most once, whoever calls first
    }

    private void begin(long nonce, int encrypt) throws NoiseException {
        if (ctx == null || !keyed) throw new NoiseException("cipher has no key");
        opening = false;
        writeNonce(nonce, nonceBytes);
        int ok;
        try {
            ok = (int) CIPHER_INIT.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.ofArray(nonceBytes), encrypt);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (ok != 1) fail("EVP_CipherInit_ex");
    }

    private void associatedData(byte[] ad) throws NoiseException {
        int ok;
        try {
            ok = (int) CIPHER_UPDATE.invokeExact(ctx, MemorySegment.NULL, MemorySegment.ofArray(written), MemorySegment.ofArray(ad), ad.length);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (ok != 1) fail("EVP_CipherUpdate (associated data)");
    }

    /** One update of {@code len} bytes; both segments are exactly {@code len} long (checked by asSlice). */
    private int update(MemorySegment output, MemorySegment input, int len) throws NoiseException {
        if (output.byteSize() != len || input.byteSize() != len) throw new IllegalArgumentException("segment sizes differ from " + len);
        int ok;
        try {
            ok = (int) CIPHER_UPDATE.invokeExact(ctx, output, MemorySegment.ofArray(written), input, len);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (ok != 1) fail("EVP_CipherUpdate");
        if (written[0] != len) throw new NoiseException("EVP_CipherUpdate wrote " + written[0] + " of " + len + " bytes");
        return len;
    }

    /** The final call (no output for a stream cipher) and the tag, written after the ciphertext. */
    private int finishSeal(MemorySegment output, int outOff, int at) throws NoiseException {
        int ok;
        try {
            ok = (int) CIPHER_FINAL.invokeExact(ctx, output.asSlice(at, TAG_LENGTH), MemorySegment.ofArray(written));
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (ok != 1) fail("EVP_CipherFinal_ex");
        if (written[0] != 0) throw new NoiseException("EVP_CipherFinal_ex wrote " + written[0] + " bytes");
        control(CTRL_AEAD_GET_TAG, output.asSlice(at, TAG_LENGTH));
        return at + TAG_LENGTH - outOff;
    }

    private void control(int type, MemorySegment tag) throws NoiseException {
        int ok;
        try {
            ok = (int) CTX_CTRL.invokeExact(ctx, type, TAG_LENGTH, tag);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (ok != 1) fail("EVP_CIPHER_CTX_ctrl " + type);
    }

    private static void fail(String call) throws NoiseException {
        clearErrors();
        throw new NoiseException("OpenSSL " + call + " failed");
    }

    /** Failures leave entries in OpenSSL's per-thread error queue; drop them. */
    private static void clearErrors() {
        try {
            ERR_CLEAR.invokeExact();
        } catch (Throwable ignored) {
            // returns nothing and cannot fail
        }
    }

    /** invokeExact declares Throwable; the downcalls themselves throw only unchecked ones. */
    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) return r;
        if (e instanceof Error err) throw err;
        return new IllegalStateException(e);
    }
}

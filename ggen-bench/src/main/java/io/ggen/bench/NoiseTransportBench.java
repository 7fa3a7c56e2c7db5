package io.ggen.bench;

import io.ggen.p2p.security.noise.CipherState;
import io.ggen.p2p.security.noise.NoiseTransportHandler;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Noise transport cipher throughput: one 64 KiB application write is cut into frames of at most
 * 65519 plaintext bytes, each sealed (2-byte length + ChaCha20-Poly1305 ciphertext into one
 * array, as the transport handler does) and then opened again by the receiving cipher state.
 * Score is operations (64 KiB writes) per second; MB/s = score * 65536 / 1e6.
 *
 * <p>{@code sealOpenArrays} is the path of contiguous heap buffers; {@code sealOpenParts} the
 * path of coalesced writes (a plaintext in two parts, encrypted with update/doFinal).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class NoiseTransportBench {
    static final int WRITE = 64 * 1024;
    static final int MAX_PLAINTEXT = NoiseTransportHandler.MAX_PLAINTEXT;

    private byte[] plaintext;
    private byte[] wire;
    private byte[] received;
    private CipherState send;
    private CipherState recv;

    @Setup
    public void setup() {
        byte[] key = new byte[32];
        new Random(1).nextBytes(key);
        send = new CipherState(key);
        recv = new CipherState(key);
        plaintext = new byte[WRITE];
        new Random(2).nextBytes(plaintext);
        wire = new byte[WRITE + 2 * (2 + CipherState.TAG_LENGTH)];
        received = new byte[WRITE];
    }

    private int open(int w) throws Exception {
        int r = 0;
        int out = 0;
        while (r < w) {
            int len = ((wire[r] & 0xff) << 8) | (wire[r + 1] & 0xff);
            out += recv.decrypt(wire, r + 2, len, received, out);
            r += 2 + len;
        }
        return out;
    }

    @Benchmark
    public int sealOpenArrays() throws Exception {
        int w = 0;
        for (int off = 0; off < WRITE; off += MAX_PLAINTEXT) {
            int n = Math.min(MAX_PLAINTEXT, WRITE - off);
            wire[w] = (byte) ((n + 16) >>> 8);
            wire[w + 1] = (byte) (n + 16);
            w += 2 + send.encrypt(plaintext, off, n, wire, w + 2);
        }
        return open(w);
    }

    @Benchmark
    public int sealOpenParts() throws Exception {
        int w = 0;
        for (int off = 0; off < WRITE; off += MAX_PLAINTEXT) {
            int n = Math.min(MAX_PLAINTEXT, WRITE - off);
            int half = n / 2;
            ByteBuffer[] parts = {ByteBuffer.wrap(plaintext, off, half), ByteBuffer.wrap(plaintext, off + half, n - half)};
            wire[w] = (byte) ((n + 16) >>> 8);
            wire[w + 1] = (byte) (n + 16);
            w += 2 + send.encrypt(parts, wire, w + 2, n + 16);
        }
        return open(w);
    }

    @Benchmark
    public int sealOnly() throws Exception {
        int w = 0;
        for (int off = 0; off < WRITE; off += MAX_PLAINTEXT) {
            int n = Math.min(MAX_PLAINTEXT, WRITE - off);
            w += 2 + send.encrypt(plaintext, off, n, wire, w + 2);
        }
        return w;
    }
}

package io.ggen.bench;

import io.ggen.p2p.crypto.Ed25519Batch;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Checking the signatures of a catalog-sync page: one at a time (BouncyCastle) against one batch
 * ({@link Ed25519Batch}). A page of 500 records is checked as two halves, one per core, so a batch
 * is 250 signatures of 300-byte records; {@code keys} publishers signed them. Scores are per
 * signature.
 *
 * <p>{@code java <scripts/node.options> -jar ggen-bench/target/benchmarks.jar SignatureBatch -f 1 -wi 3 -w 2s -i 5 -r 2s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignatureBatchBench {
    private static final int SIGNATURES = 250;

    @Param({"50", "250"})
    public int keys;

    private List<Ed25519Batch.Item> items;

    @Setup
    public void setup() {
        List<Ed25519PrivateKey> signers = new ArrayList<>();
        for (int i = 0; i < keys; i++) signers.add(Ed25519PrivateKey.generate());
        items = new ArrayList<>();
        for (int i = 0; i < SIGNATURES; i++) {
            byte[] m = new byte[300];
            m[0] = (byte) i;
            m[1] = (byte) (i >> 8);
            Ed25519PrivateKey k = signers.get(i % keys);
            items.add(new Ed25519Batch.Item(k.publicKey(), m, k.sign(m)));
        }
    }

    @Benchmark
    @OperationsPerInvocation(SIGNATURES)
    public int oneByOne() {
        int ok = 0;
        for (Ed25519Batch.Item it : items) if (it.key().verify(it.message(), it.signature())) ok++;
        return ok;
    }

    @Benchmark
    @OperationsPerInvocation(SIGNATURES)
    public int batch() {
        int ok = 0;
        for (boolean b : Ed25519Batch.verifyAll(items)) if (b) ok++;
        return ok;
    }
}

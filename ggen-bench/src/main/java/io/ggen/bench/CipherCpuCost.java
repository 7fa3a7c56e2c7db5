package io.ggen.bench;

import io.ggen.p2p.security.noise.CipherState;
import io.ggen.p2p.security.noise.NoiseTransportHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU-seconds per GiB of the Noise transport cipher alone (the JDK's ChaCha20-Poly1305, one
 * {@code Cipher.init} per message as the transport does): sealing, and sealing plus opening, of
 * full 65,519-byte messages, from this thread's CPU time, which other load on the machine does
 * not inflate the way it does a wall-clock rate. The floor under a transfer's CPU per GiB
 * (one seal at the sender, one open at the receiver).
 *
 * <p>usage: java [node options] -cp ggen-bench/target/benchmarks.jar io.ggen.bench.CipherCpuCost [rounds=6]
 */
public final class CipherCpuCost {
    private CipherCpuCost() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        byte[] key = new byte[32];
        CipherState sealOnly = new CipherState(key);
        CipherState send = new CipherState(key);
        CipherState recv = new CipherState(key);
        int n = NoiseTransportHandler.MAX_PLAINTEXT;
        byte[] plain = new byte[n];
        byte[] wire = new byte[n + CipherState.TAG_LENGTH];
        byte[] opened = new byte[n];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long messages = (1L << 30) / n;
        for (int round = 0; round < rounds; round++) {
            long c0 = mx.getCurrentThreadCpuTime();
            for (long i = 0; i < messages; i++) sealOnly.encrypt(plain, 0, n, wire, 0);
            long c1 = mx.getCurrentThreadCpuTime();
            for (long i = 0; i < messages; i++) {
                send.encrypt(plain, 0, n, wire, 0);
                recv.decrypt(wire, 0, wire.length, opened, 0);
            }
            long c2 = mx.getCurrentThreadCpuTime();
            // (the first round includes the JIT's warm-up)
            System.out.printf("round %d: seal %.3f CPU-s per GiB, seal + open %.3f CPU-s per GiB%n", round, (c1 - c0) / 1e9, (c2 - c1) / 1e9);
        }
    }
}

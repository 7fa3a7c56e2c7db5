package io.ggen.p2p.lab.netdelay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * The two ends of a link measurement, run in network namespaces by {@link NetDelayTest}.
 * {@code serve ADDR PORT}: prints {@code listening} and answers each connection by its first
 * byte: {@code E} echoes single bytes back, {@code S} reads to end of stream and replies with
 * the byte count and SHA-256 of what it read. {@code rtt ADDR PORT N}: N one-byte echoes, prints
 * {@code rtt_us min=.. median=..}. {@code send ADDR PORT BYTES}: sends BYTES pseudo-random bytes,
 * prints {@code sent bytes=.. match=true|false} comparing the server's count and hash with its
 * own. Exit 0 on success, 1 on a failure it reports.
 */
public final class LinkProbe {
    private LinkProbe() {}

    public static void main(String[] args) throws Exception {
        InetAddress addr = InetAddress.getByName(args[1]);
        int port = Integer.parseInt(args[2]);
        switch (args[0]) {
            case "serve" -> serve(addr, port);
            case "rtt" -> rtt(addr, port, Integer.parseInt(args[3]));
            case "send" -> send(addr, port, Long.parseLong(args[3]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void serve(InetAddress addr, int port) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(addr, port));
            System.out.println("listening");
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> answer(s));
            }
        }
    }

    private static void answer(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int mode = in.read();
            if (mode == 'E') {
                for (int b; (b = in.read()) >= 0; ) {
                    out.write(b);
                    out.flush();
                }
            } else if (mode == 'S') {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = in.read(buf)) >= 0; ) {
                    sha.update(buf, 0, n);
                    total += n;
                }
                DataOutputStream reply = new DataOutputStream(out);
                reply.writeLong(total);
                reply.write(sha.digest());
                reply.flush();
            }
        } catch (Exception e) {
            System.err.println("connection failed: " + e);
        }
    }

    private static void rtt(InetAddress addr, int port, int n) throws IOException {
        long[] micros = new long[n];
        try (Socket s = new Socket(addr, port)) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write('E');
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                out.write(i & 0x7f);
                out.flush();
                if (in.read() != (i & 0x7f)) throw new IOException("echo " + i + " came back wrong");
                micros[i] = (System.nanoTime() - start) / 1000;
            }
        }
        Arrays.sort(micros);
        System.out.println("rtt_us min=" + micros[0] + " median=" + micros[n / 2]);
    }

    private static void send(InetAddress addr, int port, long bytes) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(bytes);
        byte[] buf = new byte[64 * 1024];
        long start = System.nanoTime();
        try (Socket s = new Socket(addr, port)) {
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            out.write('S');
            for (long left = bytes; left > 0; ) {
                int n = (int) Math.min(buf.length, left);
                random.nextBytes(buf);
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                left -= n;
            }
            out.flush();
            s.shutdownOutput();
            DataInputStream in = new DataInputStream(s.getInputStream());
            long got = in.readLong();
            byte[] theirs = in.readNBytes(32);
            boolean match = got == bytes && Arrays.equals(theirs, sha.digest());
            System.out.println("sent bytes=" + got + " match=" + match + " ms=" + (System.nanoTime() - start) / 1_000_000 + " sha256=" + HexFormat.of().formatHex(theirs));
            if (!match) System.exit(1);
        }
    }
}

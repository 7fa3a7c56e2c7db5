package io.ggen.p2p.portmap;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One request to the gateway's UDP port 5351 and its answer: sent again after 250 ms, 500 ms,
 * 1 s, ... ({@code tries} sends in all), answers taken only from the gateway's address and port
 * (a connected socket), at most {@link #MAX_DATAGRAMS} datagrams looked at, so neither silence
 * nor a flood holds the caller past the sum of the waits.
 */
final class GatewayUdp {
    static final int MAX_DATAGRAMS = 64;
    static final Duration FIRST_WAIT = Duration.ofMillis(250);

    /** Picks the answer out of a datagram; {@code null} ignores it (not ours, or undecodable). */
    interface Matcher<T> {
        T match(byte[] datagram) throws PortMapException;
    }

    /** The address this host sends to the gateway from (what PCP puts in its client address). */
    static InetAddress localAddressTowards(InetAddress gateway) throws PortMapException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(gateway, NatPmpCodec.PORT));
            return s.getLocalAddress();
        } catch (IOException e) {
            throw new PortMapException(PortMapException.Kind.UNAVAILABLE, "no route to the gateway " + gateway.getHostAddress() + ": " + e.getMessage(), e);
        }
    }

    static <T> T exchange(InetAddress gateway, byte[] request, int tries, int maxSize, Matcher<T> matcher, String what) throws PortMapException {
        InetSocketAddress to = new InetSocketAddress(gateway, NatPmpCodec.PORT);
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(to);
            byte[] buf = new byte[maxSize + 1];
            int seen = 0;
            long wait = FIRST_WAIT.toMillis();
            for (int attempt = 0; attempt < tries; attempt++, wait *= 2) {
                s.send(new DatagramPacket(request, request.length));
                long end = System.nanoTime() + wait * 1_000_000;
                while (true) {
                    long left = (end - System.nanoTime()) / 1_000_000;
                    if (left <= 0) break;
                    s.setSoTimeout((int) Math.max(1, left));
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        s.receive(p);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    if (++seen > MAX_DATAGRAMS) throw new PortMapException(PortMapException.Kind.MALFORMED, what + ": more than " + MAX_DATAGRAMS + " datagrams from the gateway");
                    if (p.getLength() > maxSize) continue;
                    byte[] data = java.util.Arrays.copyOf(buf, p.getLength());
                    T answer = matcher.match(data);
                    if (answer != null) return answer;
                }
            }
            throw new PortMapException(PortMapException.Kind.UNAVAILABLE, what + ": no answer from " + gateway.getHostAddress() + ":" + NatPmpCodec.PORT);
        } catch (java.net.PortUnreachableException e) {
            throw new PortMapException(PortMapException.Kind.UNAVAILABLE, what + ": " + gateway.getHostAddress() + ":" + NatPmpCodec.PORT + " is closed", e);
        } catch (IOException e) {
            throw new PortMapException(PortMapException.Kind.UNAVAILABLE, what + ": " + e.getMessage(), e);
        }
    }
}

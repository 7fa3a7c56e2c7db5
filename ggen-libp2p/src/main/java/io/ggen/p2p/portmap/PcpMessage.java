package io.ggen.p2p.portmap;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * PCP messages (RFC 6887) that a client maps ports with: MAP requests and responses, and
 * responses that carry only the common header (an error to an opcode we do not send, or a
 * short UNSUPP_VERSION answer). Protocol numbers are IANA's (6 TCP, 17 UDP). IPv4 addresses
 * travel as IPv4-mapped IPv6 addresses; Java turns those back into {@link java.net.Inet4Address}.
 */
public sealed interface PcpMessage {
    int TCP = 6;
    int UDP = 17;

    /** The 96-bit nonce that ties a MAP response (and a later renewal or delete) to its request. */
    record Nonce(long high, int low) {
        private static final SecureRandom RANDOM = new SecureRandom();

        public static Nonce random() {
            return new Nonce(RANDOM.nextLong(), RANDOM.nextInt());
        }
    }

    record MapRequest(long lifetimeSecs, InetAddress clientAddress, Nonce nonce, int protocol, int internalPort,
                      int suggestedExternalPort, InetAddress suggestedExternalAddress) implements PcpMessage {
        public MapRequest {
            PcpMessage.checkU32(lifetimeSecs);
            Objects.requireNonNull(clientAddress, "clientAddress");
            Objects.requireNonNull(nonce, "nonce");
            PcpMessage.checkU8(protocol);
            PcpMessage.checkPort(internalPort);
            PcpMessage.checkPort(suggestedExternalPort);
            Objects.requireNonNull(suggestedExternalAddress, "suggestedExternalAddress");
        }
    }

    record MapResponse(int resultCode, long lifetimeSecs, long epochSecs, Nonce nonce, int protocol, int internalPort,
                       int assignedExternalPort, InetAddress assignedExternalAddress) implements PcpMessage {
        public MapResponse {
            PcpMessage.checkU8(resultCode);
            PcpMessage.checkU32(lifetimeSecs);
            PcpMessage.checkU32(epochSecs);
            Objects.requireNonNull(nonce, "nonce");
            PcpMessage.checkU8(protocol);
            PcpMessage.checkPort(internalPort);
            PcpMessage.checkPort(assignedExternalPort);
            Objects.requireNonNull(assignedExternalAddress, "assignedExternalAddress");
        }
    }

    /** A response of the common header alone (no opcode data). */
    record HeaderResponse(int opcode, int resultCode, long lifetimeSecs, long epochSecs) implements PcpMessage {
        public HeaderResponse {
            if (opcode < 0 || opcode > 127) throw new IllegalArgumentException("opcode " + opcode);
            PcpMessage.checkU8(resultCode);
            PcpMessage.checkU32(lifetimeSecs);
            PcpMessage.checkU32(epochSecs);
        }
    }

    private static void checkU8(int v) {
        if (v < 0 || v > 0xff) throw new IllegalArgumentException("not an unsigned byte: " + v);
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xffff) throw new IllegalArgumentException("port " + port);
    }

    private static void checkU32(long v) {
        if (v < 0 || v > 0xffffffffL) throw new IllegalArgumentException("not an unsigned 32-bit value: " + v);
    }
}

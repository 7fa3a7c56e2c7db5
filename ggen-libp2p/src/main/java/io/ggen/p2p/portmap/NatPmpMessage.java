package io.ggen.p2p.portmap;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * NAT-PMP messages (RFC 6886). Protocol numbers are NAT-PMP's opcodes: 1 UDP, 2 TCP. Successful
 * responses are their own records; any response with a non-zero result code is an
 * {@link ErrorResponse}, whatever follows its first 8 bytes.
 */
public sealed interface NatPmpMessage {
    int UDP = 1;
    int TCP = 2;

    /** Opcode 0: what is the external address. */
    record ExternalAddressRequest() implements NatPmpMessage {}

    /** Opcodes 1 and 2: map {@code internalPort}, lifetime 0 deletes (and then the external port is 0). */
    record MapRequest(int protocol, int internalPort, int suggestedExternalPort, long lifetimeSecs) implements NatPmpMessage {
        public MapRequest {
            checkProtocol(protocol);
            NatPmpMessage.checkPort(internalPort);
            NatPmpMessage.checkPort(suggestedExternalPort);
            NatPmpMessage.checkU32(lifetimeSecs);
        }
    }

    /** Opcode 128, result 0. */
    record ExternalAddressResponse(long epochSecs, Inet4Address address) implements NatPmpMessage {
        public ExternalAddressResponse {
            NatPmpMessage.checkU32(epochSecs);
            Objects.requireNonNull(address, "address");
        }
    }

    /** Opcodes 129 and 130, result 0. */
    record MapResponse(int protocol, long epochSecs, int internalPort, int externalPort, long lifetimeSecs) implements NatPmpMessage {
        public MapResponse {
            checkProtocol(protocol);
            NatPmpMessage.checkU32(epochSecs);
            NatPmpMessage.checkPort(internalPort);
            NatPmpMessage.checkPort(externalPort);
            NatPmpMessage.checkU32(lifetimeSecs);
        }
    }

    /** A response (opcode 128..255) with a non-zero result code. */
    record ErrorResponse(int opcode, int resultCode, long epochSecs) implements NatPmpMessage {
        public ErrorResponse {
            if (opcode < 128 || opcode > 255) throw new IllegalArgumentException("response opcode " + opcode);
            if (resultCode < 1 || resultCode > 0xffff) throw new IllegalArgumentException("error result code " + resultCode);
            NatPmpMessage.checkU32(epochSecs);
        }
    }

    private static void checkProtocol(int protocol) {
        if (protocol != UDP && protocol != TCP) throw new IllegalArgumentException("protocol " + protocol + " (1 UDP or 2 TCP)");
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xffff) throw new IllegalArgumentException("port " + port);
    }

    private static void checkU32(long v) {
        if (v < 0 || v > 0xffffffffL) throw new IllegalArgumentException("not an unsigned 32-bit value: " + v);
    }
}

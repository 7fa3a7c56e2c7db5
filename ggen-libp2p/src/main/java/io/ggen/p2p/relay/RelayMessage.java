package io.ggen.p2p.relay;

import io.ggen.p2p.core.ConnectionLimit;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The messages of Circuit Relay v2's hop and stop protocols, decoded. {@link RelayCodec} turns
 * them into bytes and back.
 */
public sealed interface RelayMessage {

    /** Status codes of the spec; {@link #UNKNOWN} stands for a code we do not know. */
    enum Status {
        OK(100),
        RESERVATION_REFUSED(200),
        RESOURCE_LIMIT_EXCEEDED(201),
        PERMISSION_DENIED(202),
        CONNECTION_FAILED(203),
        NO_RESERVATION(204),
        MALFORMED_MESSAGE(400),
        UNEXPECTED_MESSAGE(401),
        UNKNOWN(0);

        public final int code;

        Status(int code) {
            this.code = code;
        }

        public static Status of(int code) {
            for (Status s : values()) if (s.code == code) return s;
            return UNKNOWN;
        }
    }

    /** A peer as the messages name it: its id and, optionally, addresses. */
    record PeerInfo(PeerId id, List<Multiaddr> addrs) {
        public PeerInfo {
            Objects.requireNonNull(id, "id");
            addrs = List.copyOf(addrs);
        }
    }

    /**
     * A granted reservation.
     *
     * @param expireEpochSeconds when it ends, UTC seconds
     * @param addrs the relay's public addresses, each with the relay's {@code /p2p/}
     * @param voucher the signed voucher's envelope bytes, when the relay sent one
     */
    record Reservation(long expireEpochSeconds, List<Multiaddr> addrs, Optional<byte[]> voucher) {
        public Reservation {
            addrs = List.copyOf(addrs);
            voucher = voucher.map(byte[]::clone);
        }
    }

    /** Messages of {@code /libp2p/circuit/relay/0.2.0/hop}. */
    sealed interface Hop extends RelayMessage {}

    /** A client asks for a reservation. */
    record Reserve() implements Hop {}

    /** A client asks to be connected to {@code peer} through the relay. */
    record Connect(PeerInfo peer) implements Hop {
        public Connect {
            Objects.requireNonNull(peer, "peer");
        }
    }

    /** The relay's answer to a reserve or connect. */
    record HopStatus(Status status, Optional<Reservation> reservation, Optional<ConnectionLimit> limit) implements Hop {
        public HopStatus {
            Objects.requireNonNull(status, "status");
        }

        public static HopStatus of(Status status) {
            return new HopStatus(status, Optional.empty(), Optional.empty());
        }
    }

    /** Messages of {@code /libp2p/circuit/relay/0.2.0/stop}. */
    sealed interface Stop extends RelayMessage {}

    /** The relay tells the reserved peer that {@code peer} connects to it. */
    record StopConnect(PeerInfo peer, Optional<ConnectionLimit> limit) implements Stop {
        public StopConnect {
            Objects.requireNonNull(peer, "peer");
        }
    }

    /** The reserved peer's answer. */
    record StopStatus(Status status) implements Stop {
        public StopStatus {
            Objects.requireNonNull(status, "status");
        }
    }
}

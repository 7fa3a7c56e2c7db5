package io.ggen.p2p.autonat.v1;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The two messages of {@code /libp2p/autonat/1.0.0}. */
public sealed interface AutonatV1Message {

    enum ResponseStatus {
        OK(0), DIAL_ERROR(100), DIAL_REFUSED(101), BAD_REQUEST(200), INTERNAL_ERROR(300);

        final int wire;

        ResponseStatus(int wire) {
            this.wire = wire;
        }
    }

    /** Client to server: dial me ({@code peer}) at these addresses. */
    record Dial(PeerId peer, List<Multiaddr> addrs) implements AutonatV1Message {
        public Dial {
            Objects.requireNonNull(peer, "peer");
            addrs = List.copyOf(addrs);
            if (addrs.size() > AutonatV1Codec.MAX_ADDRS) throw new IllegalArgumentException("at most " + AutonatV1Codec.MAX_ADDRS + " addresses");
        }
    }

    /** Server to client: how the dials went; {@code addr} is the one that worked. */
    record DialResponse(ResponseStatus status, String statusText, Optional<Multiaddr> addr) implements AutonatV1Message {
        public DialResponse {
            Objects.requireNonNull(status, "status");
            statusText = statusText == null ? "" : statusText;
            if (statusText.length() > AutonatV1Codec.MAX_STATUS_TEXT) statusText = statusText.substring(0, AutonatV1Codec.MAX_STATUS_TEXT);
            Objects.requireNonNull(addr, "addr");
        }

        public static DialResponse of(ResponseStatus status, String text) {
            return new DialResponse(status, text, Optional.empty());
        }
    }
}

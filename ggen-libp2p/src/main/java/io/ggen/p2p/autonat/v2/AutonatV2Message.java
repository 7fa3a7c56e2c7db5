package io.ggen.p2p.autonat.v2;

import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The messages of the {@code /libp2p/autonat/2/dial-request} stream. */
public sealed interface AutonatV2Message {

    /** What a server did with a dial request. */
    enum ResponseStatus {
        INTERNAL_ERROR(0), REQUEST_REJECTED(100), DIAL_REFUSED(101), OK(200);

        final int wire;

        ResponseStatus(int wire) {
            this.wire = wire;
        }
    }

    /** How the dial-back of the chosen address went (meaningful when the response is {@code OK}). */
    enum DialStatus {
        UNUSED(0), DIAL_ERROR(100), DIAL_BACK_ERROR(101), OK(200);

        final int wire;

        DialStatus(int wire) {
            this.wire = wire;
        }
    }

    /** Client to server: dial the first of {@code addrs} you are willing to, and tell me {@code nonce}. */
    record DialRequest(List<Multiaddr> addrs, long nonce) implements AutonatV2Message {
        public DialRequest {
            addrs = List.copyOf(addrs);
            if (addrs.size() > AutonatV2Codec.MAX_ADDRS) throw new IllegalArgumentException("at most " + AutonatV2Codec.MAX_ADDRS + " addresses");
        }
    }

    /** Server to client: the outcome; {@code addrIdx} and {@code dialStatus} only when {@code status} is OK. */
    record DialResponse(ResponseStatus status, int addrIdx, DialStatus dialStatus) implements AutonatV2Message {
        public DialResponse {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(dialStatus, "dialStatus");
            if (addrIdx < 0) throw new IllegalArgumentException("addrIdx must be >= 0");
        }

        public static DialResponse refused(ResponseStatus status) {
            return new DialResponse(status, 0, DialStatus.UNUSED);
        }
    }

    /** Server to client: send {@code numBytes} bytes before I dial {@code addrIdx} (an address not at your IP). */
    record DialDataRequest(int addrIdx, long numBytes) implements AutonatV2Message {
        public DialDataRequest {
            if (addrIdx < 0) throw new IllegalArgumentException("addrIdx must be >= 0");
            if (numBytes < 0) throw new IllegalArgumentException("numBytes must be >= 0");
        }
    }

    /** Client to server: a part of the requested bytes, at most {@link AutonatV2Codec#MAX_DIAL_DATA_CHUNK}. */
    record DialDataResponse(byte[] data) implements AutonatV2Message {
        public DialDataResponse {
            if (data.length > AutonatV2Codec.MAX_DIAL_DATA_CHUNK) {
                throw new IllegalArgumentException("dial data parts are at most " + AutonatV2Codec.MAX_DIAL_DATA_CHUNK + " bytes");
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public int length() {
            return data.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DialDataResponse d && Arrays.equals(d.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "DialDataResponse[" + data.length + " bytes]";
        }
    }

    /** On {@code /libp2p/autonat/2/dial-back}, server to client: the nonce of the request. */
    record DialBack(long nonce) {}

    /** On {@code /libp2p/autonat/2/dial-back}, client to server: received. */
    record DialBackResponse() {}
}

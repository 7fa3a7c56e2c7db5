package io.ggen.p2p.multistream;

import java.io.IOException;

/**
 * Protocol negotiation did not end in a selected protocol: the peer supports none of ours, broke
 * the multistream-select rules, exceeded a limit, went silent, or the stream ended.
 */
public class ProtocolNegotiationException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProtocolNegotiationException(String message) {
        super(message);
    }

    public ProtocolNegotiationException(String message, Throwable cause) {
        super(message, cause);
    }
}

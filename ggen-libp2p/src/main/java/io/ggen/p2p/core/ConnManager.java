package io.ggen.p2p.core;

import io.ggen.p2p.crypto.PeerId;

/** Which connections a host keeps when it has too many: protected peers are never trimmed. */
public interface ConnManager {
    /** Keeps connections to {@code peer} open while any tag is set. */
    void protect(PeerId peer, String tag);

    void unprotect(PeerId peer, String tag);

    boolean isProtected(PeerId peer);
}

package io.ggen.p2p.crypto;

import io.ggen.p2p.multiformats.Cid;
import io.ggen.p2p.multiformats.MultiformatException;

/** The CIDv1 text form of peer ids: codec libp2p-key (0x72), any supported multibase. */
final class PeerIdCid {
    private PeerIdCid() {}

    static PeerId parse(String text) {
        Cid cid;
        try {
            cid = Cid.fromString(text);
        } catch (MultiformatException e) {
            throw new InvalidKeyException("peer id: '" + clip(text) + "' is neither base58btc nor a CID: " + e.getMessage(), e);
        }
        if (cid.version() != 1 || cid.codec() != Cid.LIBP2P_KEY) {
            throw new InvalidKeyException("peer id: CID codec must be libp2p-key (0x72), got 0x" + Long.toHexString(cid.codec()));
        }
        return PeerId.fromBytes(cid.multihash().toBytes());
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}

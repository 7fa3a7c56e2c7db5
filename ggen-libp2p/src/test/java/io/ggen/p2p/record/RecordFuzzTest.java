package io.ggen.p2p.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ggen.p2p.crypto.Ed25519PrivateKey;

/**
 * Signed envelopes and peer records from peers (identify, gossipsub PX): only
 * {@link RecordException} escapes. Since the fuzzer cannot forge signatures, {@link #sealedPeerRecord}
 * seals its input with a known key, which takes the bytes past the signature to the record decoder.
 */
class RecordFuzzTest {
    private static final Ed25519PrivateKey KEY = Ed25519PrivateKey.fromSeed(new byte[32]);

    @FuzzTest
    void envelope(byte[] input) {
        try {
            Envelope e = Envelope.open(input, PeerRecord.DOMAIN);
            assertThat(e.encode()).isEqualTo(input);
        } catch (RecordException refused) {
            // the documented refusal
        }
        try {
            SignedPeerRecord.open(input);
        } catch (RecordException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void peerRecord(byte[] input) throws RecordException {
        PeerRecord r;
        try {
            r = PeerRecord.decode(input);
        } catch (RecordException refused) {
            return;
        }
        assertThat(r.addresses()).hasSizeLessThanOrEqualTo(PeerRecord.MAX_ADDRESSES);
        assertThat(PeerRecord.decode(r.encode())).isEqualTo(r);
    }

    @FuzzTest
    void sealedPeerRecord(byte[] payload) {
        if (payload.length > Envelope.MAX_ENCODED_LENGTH / 2) return;
        byte[] sealed = Envelope.seal(KEY, PeerRecord.DOMAIN, PeerRecord.payloadType(), payload).encode();
        try {
            SignedPeerRecord r = SignedPeerRecord.open(sealed);
            assertThat(r.peerId().matches(KEY.publicKey())).isTrue();
        } catch (RecordException refused) {
            // a record of another peer than the key, or a malformed record
        }
    }
}

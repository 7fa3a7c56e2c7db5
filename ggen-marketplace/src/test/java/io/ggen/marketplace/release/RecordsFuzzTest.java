package io.ggen.marketplace.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ggen.p2p.crypto.Ed25519PrivateKey;

/**
 * Release, yank and head records and their signed wrapper, as they arrive by gossip, catalog
 * sync, search answers and the DHT. The encoding is canonical (one encoding per value), so the
 * contract is: only {@link RecordException} escapes, and whatever decodes re-encodes to exactly
 * the input. {@link #signedByKnownKey} signs the fuzzer's payload with a known key, so the bytes
 * reach the record decoders and the signature check behind the envelope.
 */
class RecordsFuzzTest {
    private static final Ed25519PrivateKey KEY = Ed25519PrivateKey.fromSeed(new byte[32]);

    @FuzzTest
    void release(byte[] input) {
        try {
            assertThat(ReleaseRecord.decode(input).encode()).isEqualTo(input);
        } catch (RecordException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void yank(byte[] input) {
        try {
            assertThat(YankRecord.decode(input).encode()).isEqualTo(input);
        } catch (RecordException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void head(byte[] input) {
        try {
            assertThat(PackageHead.decode(input).encode()).isEqualTo(input);
        } catch (RecordException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void signed(byte[] input) {
        SignedRecord s;
        try {
            s = SignedRecord.decode(input);
        } catch (RecordException refused) {
            return;
        }
        assertThat(s.encode()).isEqualTo(input);
        for (Runnable open : new Runnable[] {s::openRelease, s::openYank, s::openHead}) {
            try {
                open.run();
            } catch (RecordException refused) {
                // wrong type, bad payload, or a signature that does not verify
            }
        }
    }

    /** The first byte picks the record type; the rest is the payload, signed with a known key. */
    @FuzzTest
    void signedByKnownKey(byte[] input) {
        if (input.length == 0 || input.length > SignedRecord.MAX_PAYLOAD) return;
        String type = switch (input[0] & 3) {
            case 0 -> ReleaseRecord.TYPE;
            case 1 -> YankRecord.TYPE;
            default -> PackageHead.TYPE;
        };
        byte[] payload = java.util.Arrays.copyOfRange(input, 1, input.length);
        SignedRecord s = new SignedRecord(type, payload, KEY.sign(SignedRecord.signingInput(type, payload)));
        SignedRecord back = SignedRecord.decode(s.encode());
        try {
            switch (input[0] & 3) {
                case 0 -> assertThat(back.openRelease().publisher()).isEqualTo(KEY.publicKey());
                case 1 -> assertThat(back.openYank().publisher()).isEqualTo(KEY.publicKey());
                default -> assertThat(back.openHead().owner()).isEqualTo(KEY.publicKey());
            }
        } catch (RecordException refused) {
            // a malformed payload, or one naming another key than the one that signed
        }
    }
}

package io.ggen.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Public keys and peer ids from peers: only {@link InvalidKeyException} escapes, a key that
 * decodes re-marshals to the same bytes (the peer-ids spec requires deterministic encoding, and
 * a peer id is the hash of those bytes), and a peer id's inlined key derives that same id.
 */
class KeysFuzzTest {

    @FuzzTest
    void publicKey(byte[] input) {
        PublicKey key;
        try {
            key = Keys.unmarshalPublic(input);
        } catch (InvalidKeyException refused) {
            return;
        }
        assertThat(Keys.marshalPublic(key)).isEqualTo(input);
        // A key from a peer is used at once to check a signature: that must answer, not throw.
        key.verify("data".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(input, Math.min(input.length, 72)));
        assertThat(PeerId.fromPublicKey(key).matches(key)).isTrue();
    }

    @FuzzTest
    void peerId(byte[] input) {
        try {
            PeerId id = PeerId.fromBytes(input);
            assertThat(id.toBytes()).isEqualTo(input);
            assertThat(PeerId.fromString(id.toString())).isEqualTo(id);
            id.publicKey().ifPresent(k -> assertThat(PeerId.fromPublicKey(k)).isEqualTo(id));
        } catch (InvalidKeyException refused) {
            // the documented refusal
        }
        try {
            PeerId id = PeerId.fromString(new String(input, StandardCharsets.UTF_8));
            assertThat(PeerId.fromBytes(id.toBytes())).isEqualTo(id);
        } catch (InvalidKeyException refused) {
            // the documented refusal
        }
    }
}

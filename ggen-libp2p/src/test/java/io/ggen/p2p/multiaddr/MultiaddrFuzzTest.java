package io.ggen.p2p.multiaddr;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ggen.p2p.multiformats.MultiformatException;
import java.nio.charset.StandardCharsets;

/**
 * Multiaddresses from peers (binary, in identify, DHT and PX messages) and from users (text):
 * only {@link MultiformatException} escapes, the binary form re-encodes to the same bytes, and
 * text and binary forms agree both ways.
 */
class MultiaddrFuzzTest {

    @FuzzTest
    void binary(byte[] input) {
        Multiaddr a;
        try {
            a = Multiaddr.fromBytes(input);
        } catch (MultiformatException refused) {
            return;
        }
        assertThat(a.toBytes()).isEqualTo(input);
        assertThat(a.components()).hasSizeLessThanOrEqualTo(Multiaddr.MAX_COMPONENTS);
        assertThat(Multiaddr.fromString(a.toString())).as("text of %s", a).isEqualTo(a);
        a.peerId();
        a.toTcpSocketAddress();
        a.isPublic();
    }

    @FuzzTest
    void text(byte[] input) {
        Multiaddr a;
        try {
            a = Multiaddr.fromString(new String(input, StandardCharsets.UTF_8));
        } catch (MultiformatException refused) {
            return;
        }
        assertThat(Multiaddr.fromBytes(a.toBytes())).isEqualTo(a);
        assertThat(Multiaddr.fromString(a.toString())).isEqualTo(a);
    }
}

package io.ggen.p2p.record;

import io.ggen.p2p.multiaddr.Multiaddr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Peer records cross the language boundary both ways with js-libp2p's @libp2p/peer-record. */
@Timeout(60)
class JsPeerRecordInteropTest {
    static final HexFormat HEX = HexFormat.of();

    static JsonNode runNode(String... args) throws Exception {
        return JsTools.run("peer-record.mjs", args);
    }

    @Test
    void opensARecordSignedByJs() throws Exception {
        JsonNode js = runNode("seal");
        SignedPeerRecord spr = SignedPeerRecord.open(HEX.parseHex(js.get("envelope").asText()));
        assertThat(spr.peerId()).isEqualTo(PeerId.fromString(js.get("peerId").asText()));
        assertThat(Long.toUnsignedString(spr.record().seq())).isEqualTo(js.get("seq").asText());
        List<String> addrs = spr.record().addresses().stream().map(a -> HEX.formatHex(a.toBytes())).toList();
        List<String> expected = new ArrayList<>();
        js.get("addrs").forEach(a -> expected.add(a.asText()));
        assertThat(addrs).isEqualTo(expected);
        // Re-encoding what we opened gives js's exact bytes back.
        assertThat(HEX.formatHex(spr.encode())).isEqualTo(js.get("envelope").asText());
    }

    @Test
    void jsOpensARecordWeSigned() throws Exception {
        PrivateKey key = Ed25519PrivateKey.generate();
        SignedPeerRecord spr = SignedPeerRecord.create(key, 1_700_000_000_123L, List.of(
                Multiaddr.fromBytes(HEX.parseHex("047f000001060fa1")),
                Multiaddr.fromBytes(HEX.parseHex("047f00000191020001cd03"))));
        JsonNode js = runNode("open", HEX.formatHex(spr.encode()));
        assertThat(js.get("peerId").asText()).isEqualTo(spr.peerId().toBase58());
        assertThat(js.get("seq").asText()).isEqualTo("1700000000123");
        assertThat(js.get("addrs").get(0).asText()).isEqualTo("/ip4/127.0.0.1/tcp/4001");
        assertThat(js.get("addrs").get(1).asText()).isEqualTo("/ip4/127.0.0.1/udp/1/quic-v1");
    }
}

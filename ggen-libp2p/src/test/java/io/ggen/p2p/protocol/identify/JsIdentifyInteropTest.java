package io.ggen.p2p.protocol.identify;


import io.ggen.p2p.core.IdentifyInfo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.record.JsTools;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.record.SignedPeerRecord;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Identify messages encoded by js-libp2p's codec decode here, and ours decode there. */
@Timeout(60)
class JsIdentifyInteropTest {
    static final HexFormat HEX = HexFormat.of();

    @Test
    void decodesAJsMessage() throws Exception {
        JsonNode js = JsTools.run("identify-message.mjs", "encode");
        IdentifyInfo info = IdentifyCodec.decode(HEX.parseHex(js.get("message").asText()));
        PeerId expected = PeerId.fromString(js.get("peerId").asText());
        assertThat(info.peerId()).isEqualTo(expected);
        assertThat(info.protocolVersion()).isEqualTo("ipfs/0.1.0");
        assertThat(info.agentVersion()).startsWith("js-libp2p/");
        assertThat(info.listenAddrs()).hasSize(2); // the third, bogus one is dropped
        assertThat(info.observedAddr()).isPresent();
        assertThat(info.protocols()).containsExactly("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/ggen/fetch/1.0.0");
        assertThat(info.signedPeerRecord()).hasValueSatisfying(r -> {
            assertThat(r.peerId()).isEqualTo(expected);
            assertThat(r.record().seq()).isEqualTo(99);
            assertThat(r.record().addresses()).containsExactlyElementsOf(info.listenAddrs());
        });
    }

    @Test
    void jsDecodesOurMessage() throws Exception {
        PrivateKey key = Ed25519PrivateKey.generate();
        Multiaddr addr = Multiaddr.fromBytes(HEX.parseHex("047f000001060fa1"));
        IdentifyInfo ours = IdentifyInfo.of(key.publicKey(), "ggen/1.0.0", "ggen/0.1.0", List.of(addr),
                Optional.of(Multiaddr.fromBytes(HEX.parseHex("040a00000106d903"))),
                List.of("/ipfs/id/1.0.0", "/ggen/kad/1.0.0"), Optional.of(SignedPeerRecord.create(key, 77, List.of(addr))));
        JsonNode js = JsTools.run("identify-message.mjs", "decode", HEX.formatHex(IdentifyCodec.encode(ours)));
        assertThat(js.get("peerId").asText()).isEqualTo(ours.peerId().toBase58());
        assertThat(js.get("protocolVersion").asText()).isEqualTo("ggen/1.0.0");
        assertThat(js.get("agentVersion").asText()).isEqualTo("ggen/0.1.0");
        assertThat(js.get("listenAddrs").get(0).asText()).isEqualTo("/ip4/127.0.0.1/tcp/4001");
        assertThat(js.get("observedAddr").asText()).isEqualTo("/ip4/10.0.0.1/tcp/55555");
        assertThat(js.get("protocols").size()).isEqualTo(2);
        assertThat(js.get("recordPeerId").asText()).isEqualTo(ours.peerId().toBase58());
        assertThat(js.get("recordSeq").asText()).isEqualTo("77");
    }
}

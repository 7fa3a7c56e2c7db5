package io.ggen.p2p.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Peer records cross the language boundary both ways with js-libp2p's @libp2p/peer-record. */
@Timeout(60)
class JsPeerRecordInteropTest {
    static final Path TOOL = Path.of("..", "interop", "jspeer", "tools", "peer-record.mjs").toAbsolutePath().normalize();
    static final HexFormat HEX = HexFormat.of();

    static JsonNode runNode(String... args) throws IOException, InterruptedException {
        assumeTrue(Files.exists(TOOL.getParent().getParent().resolve("node_modules").resolve("@libp2p").resolve("peer-record")),
                "js peer packages not installed (interop/jspeer/ensure-installed.sh)");
        List<String> cmd = new ArrayList<>(List.of("node", TOOL.toString()));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        } catch (IOException e) {
            assumeTrue(false, "node is not available: " + e.getMessage());
            throw e;
        }
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("node did not finish within 30 s");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("node stderr: %s", err).isZero();
            return new ObjectMapper().readTree(out);
        } finally {
            p.destroyForcibly();
        }
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
                MultiaddrBytes.of(HEX.parseHex("047f000001060fa1")),
                MultiaddrBytes.of(HEX.parseHex("047f00000191020001cd03"))));
        JsonNode js = runNode("open", HEX.formatHex(spr.encode()));
        assertThat(js.get("peerId").asText()).isEqualTo(spr.peerId().toBase58());
        assertThat(js.get("seq").asText()).isEqualTo("1700000000123");
        assertThat(js.get("addrs").get(0).asText()).isEqualTo("/ip4/127.0.0.1/tcp/4001");
        assertThat(js.get("addrs").get(1).asText()).isEqualTo("/ip4/127.0.0.1/udp/1/quic-v1");
    }
}

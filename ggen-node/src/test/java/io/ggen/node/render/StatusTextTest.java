package io.ggen.node.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** status shows reachability and relaying as one block: AutoNAT's verdict, what we advertise, the relay service, relayed addresses, hole punching. */
class StatusTextTest {
    @Test
    void reachabilityAndRelayingAreOneBlock() {
        ObjectNode s = new ObjectMapper().createObjectNode();
        s.put("pid", 7).put("uptime_secs", 5).put("peer_id", "12D3KooWpeer").put("version", "0.1.0");
        s.putArray("listen_addrs").add("/ip4/10.0.1.2/tcp/4001/p2p/12D3KooWpeer");
        s.putArray("observed_addrs");
        s.put("reachability", "private").put("reachability_confidence", 2).put("reachability_source", "autonat");
        s.putArray("advertised_addrs").add("/ip4/198.51.100.10/tcp/4001/p2p/12D3KooWrelay/p2p-circuit/p2p/12D3KooWpeer");
        ObjectNode nat = s.putObject("nat");
        nat.put("relay_service", "auto").put("relay_service_on", false).put("relay_reservations", 0).put("relay_circuits", 0);
        nat.putArray("relayed_addrs").add("/ip4/198.51.100.10/tcp/4001/p2p/12D3KooWrelay/p2p-circuit/p2p/12D3KooWpeer");
        nat.put("hole_punching", true).put("hole_punch_rounds", 3).put("hole_punch_direct", 2);
        nat.put("port_mapping", true).put("port_mapping_error", "");
        nat.putArray("port_mappings").addObject().put("protocol", "tcp").put("internal_port", 4001).put("external_addr", "192.0.1.1:4001")
                .put("method", "upnp").put("expires_in_secs", 3540).put("permanent", false);
        s.put("cipher", "OpenSSL 3.0.19 27 Jan 2026 (libcrypto.so.3)");

        String text = StatusText.render(s, OutputFormat.table);

        assertThat(text).containsSubsequence(
                "Reachability:    private (2 AutoNAT servers agree)",
                "Advertised:      /ip4/198.51.100.10/tcp/4001/p2p/12D3KooWrelay/p2p-circuit",
                "Relay service:   off (auto)",
                "Relayed as:      /ip4/198.51.100.10/tcp/4001/p2p/12D3KooWrelay/p2p-circuit",
                "Hole punching:   2 direct of 3 rounds",
                "Port mapping:    tcp 4001 -> 192.0.1.1:4001 (upnp, expires in ",
                "Peers:",
                "Encryption:      ChaCha20-Poly1305 by OpenSSL 3.0.19 27 Jan 2026 (libcrypto.so.3)");
        assertThat(text.lines().filter(l -> l.contains("Reachability")).count()).as("one reachability line").isEqualTo(1);
    }

    @Test
    void portMappingSaysWhyThereIsNoneAndWhenItIsOff() {
        ObjectNode nat = new ObjectMapper().createObjectNode();
        nat.put("port_mapping", true).put("port_mapping_error", "UPnP: no Internet Gateway Device answered on eth0");
        nat.putArray("port_mappings");
        assertThat(StatusText.portMappings(nat)).isEqualTo("none (UPnP: no Internet Gateway Device answered on eth0)");
        nat.put("port_mapping_error", "");
        assertThat(StatusText.portMappings(nat)).isEqualTo("none yet");
        nat.put("port_mapping", false);
        assertThat(StatusText.portMappings(nat)).isEqualTo("off (nat.port_mapping = false)");
        nat.put("port_mapping", true).withArray("port_mappings").addObject().put("protocol", "tcp").put("internal_port", 4001)
                .put("external_addr", "192.0.1.1:4001").put("method", "upnp").put("permanent", true);
        assertThat(StatusText.portMappings(nat)).isEqualTo("tcp 4001 -> 192.0.1.1:4001 (upnp, permanent lease)");
    }
}

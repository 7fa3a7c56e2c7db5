package io.ggen.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.kad.KadDht;
import io.ggen.p2p.kad.KadMessage;
import io.ggen.p2p.kad.KadNode;
import io.ggen.p2p.multiformats.Cid;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The DHT commands of the line protocol, with peer.mjs's fields and units. */
final class DhtCommands {
    private DhtCommands() {}

    static ObjectNode run(JavaPeer p, String name, JsonNode c) throws Exception {
        KadDht dht = p.dht().orElseThrow(() -> new UnsupportedCommandException(name + ": this peer runs with --no-dht"));
        long timeoutMs = JavaPeer.timeout(c, 60_000).toMillis();
        ObjectNode r = p.json().createObjectNode();
        double t0 = JavaPeer.nowMs();
        switch (name) {
            case "put" -> {
                KadNode.PutResult res = dht.put(key(c), value(c)).get(timeoutMs, TimeUnit.MILLISECONDS);
                r.put("ms", JavaPeer.nowMs() - t0);
                r.put("stored", res.stored());
                r.put("errors", res.failed());
                ArrayNode samples = r.putArray("errorSamples");
                res.errorSamples().stream().limit(3).forEach(samples::add);
            }
            case "get" -> {
                Optional<KadNode.GetResult> res = dht.get(key(c)).get(timeoutMs, TimeUnit.MILLISECONDS);
                if (res.isEmpty()) throw new NotFoundException("no value for key");
                r.put("ms", JavaPeer.nowMs() - t0);
                r.put("from", res.get().from().toString());
                r.put("peersQueried", res.get().peersQueried());
                r.put("valueB64", Base64.getEncoder().encodeToString(res.get().value()));
                r.put("value", new String(res.get().value(), StandardCharsets.UTF_8));
            }
            case "provide" -> {
                Cid cid = cid(c);
                t0 = JavaPeer.nowMs(); // as peer.mjs: the clock starts once the CID is parsed
                dht.provide(cid.multihash().toBytes()).get(timeoutMs, TimeUnit.MILLISECONDS);
                r.put("cid", cid.toString());
                r.put("ms", JavaPeer.nowMs() - t0);
            }
            case "findProviders" -> {
                Cid cid = cid(c);
                int max = Math.max(1, Math.min(c.path("max").asInt(1), 64));
                double start = JavaPeer.nowMs(); // as peer.mjs: the clock starts once the CID is parsed
                double[] first = {-1};
                List<KadMessage.PeerInfo> found = dht.findProviders(cid.multihash().toBytes(), max, i -> {
                    synchronized (first) {
                        if (first[0] < 0) first[0] = JavaPeer.nowMs() - start;
                    }
                }).get(timeoutMs, TimeUnit.MILLISECONDS);
                if (found.isEmpty()) throw new NotFoundException("no providers found");
                r.put("cid", cid.toString());
                ArrayNode arr = r.putArray("providers");
                for (KadMessage.PeerInfo i : found) {
                    ObjectNode o = arr.addObject();
                    o.put("peer", i.id().toString());
                    ArrayNode addrs = o.putArray("addrs");
                    for (Multiaddr a : i.addrs()) addrs.add(a.toString());
                }
                r.put("firstMs", first[0]);
                r.put("ms", JavaPeer.nowMs() - start);
            }
            case "findPeer" -> {
                PeerId peer = PeerId.fromString(c.path("peer").asText());
                Optional<KadMessage.PeerInfo> res = dht.findPeer(peer).get(timeoutMs, TimeUnit.MILLISECONDS);
                if (res.isEmpty()) throw new NotFoundException("peer not found");
                r.put("peer", peer.toString());
                ArrayNode addrs = r.putArray("addrs");
                for (Multiaddr a : res.get().addrs()) addrs.add(a.toString());
                r.put("ms", JavaPeer.nowMs() - t0);
            }
            case "closestPeers" -> {
                KadNode.LookupResult res = dht.closestPeers(key(c)).get(timeoutMs, TimeUnit.MILLISECONDS);
                ArrayNode peers = r.putArray("peers");
                res.closest().forEach(i -> peers.add(i.id().toString()));
                r.put("ms", JavaPeer.nowMs() - t0);
            }
            case "routingTable" -> {
                r.put("size", dht.routingTable().size());
                r.put("mode", dht.mode());
            }
            default -> throw new IllegalArgumentException("unknown cmd " + name);
        }
        return r;
    }

    private static byte[] key(JsonNode c) {
        if (!c.hasNonNull("key")) throw new IllegalArgumentException("need \"key\"");
        return c.get("key").asText().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(JsonNode c) {
        if (c.hasNonNull("valueB64")) return Base64.getDecoder().decode(c.get("valueB64").asText());
        if (c.hasNonNull("value")) return c.get("value").asText().getBytes(StandardCharsets.UTF_8);
        throw new IllegalArgumentException("need \"value\" or \"valueB64\"");
    }

    private static Cid cid(JsonNode c) {
        if (c.hasNonNull("cid")) return Cid.fromString(c.get("cid").asText());
        if (c.hasNonNull("text")) return Cid.rawSha256(c.get("text").asText().getBytes(StandardCharsets.UTF_8));
        throw new IllegalArgumentException("need \"cid\" or \"text\"");
    }

    /** Reported as "NotFound: ..." like js's errors. */
    static final class NotFoundException extends Exception {
        private static final long serialVersionUID = 1L;

        NotFoundException(String message) {
            super(message);
        }
    }
}

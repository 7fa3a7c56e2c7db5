package io.ggen.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.pubsub.gossipsub.Gossipsub;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The pubsub commands of the line protocol, with peer.mjs's fields. */
final class PubsubCommands {
    private PubsubCommands() {}

    static ObjectNode run(JavaPeer p, String name, JsonNode c) throws Exception {
        Gossipsub g = p.pubsub().orElseThrow(() -> new UnsupportedCommandException(name + ": this peer runs with --no-pubsub"));
        ObjectNode r = p.json().createObjectNode();
        switch (name) {
            case "subscribe" -> {
                g.subscribe(topic(c));
                topics(r, g.topics());
            }
            case "unsubscribe" -> {
                g.unsubscribe(topic(c));
                topics(r, g.topics());
            }
            case "topics" -> topics(r, g.topics());
            case "subscribers" -> peers(r, g.topicPeers(topic(c)));
            case "mesh" -> peers(r, g.meshPeers(topic(c)));
            case "score" -> {
                if (!c.hasNonNull("peer")) throw new IllegalArgumentException("need \"peer\"");
                PeerId peer = PeerId.fromString(c.get("peer").asText());
                r.put("peer", peer.toString());
                r.put("score", g.score(peer).orElse(0.0)); // 0 for a peer it does not know, as js
            }
            case "publish" -> {
                byte[] data = data(c);
                if (c.hasNonNull("tag") && data.length >= 8) ByteBuffer.wrap(data).putLong(0, c.get("tag").asLong());
                double t = JavaPeer.nowMs();
                int recipients = g.publish(topic(c), data);
                r.put("t", t);
                r.put("recipients", recipients);
                r.put("size", data.length);
            }
            default -> throw new IllegalArgumentException("unknown cmd " + name);
        }
        return r;
    }

    private static String topic(JsonNode c) {
        if (!c.hasNonNull("topic")) throw new IllegalArgumentException("need \"topic\"");
        return c.get("topic").asText();
    }

    private static byte[] data(JsonNode c) {
        if (c.hasNonNull("data")) return Base64.getDecoder().decode(c.get("data").asText());
        if (c.hasNonNull("text")) return c.get("text").asText().getBytes(StandardCharsets.UTF_8);
        if (c.hasNonNull("size")) {
            int size = c.get("size").asInt();
            if (size < 0 || size > 16 << 20) throw new IllegalArgumentException("size must be 0..16 MiB");
            byte[] b = new byte[size];
            ThreadLocalRandom.current().nextBytes(b);
            return b;
        }
        throw new IllegalArgumentException("need \"data\", \"text\" or \"size\"");
    }

    private static void topics(ObjectNode r, List<String> topics) {
        ArrayNode a = r.putArray("topics");
        topics.forEach(a::add);
    }

    private static void peers(ObjectNode r, List<PeerId> peers) {
        ArrayNode a = r.putArray("peers");
        peers.forEach(x -> a.add(x.toString()));
    }
}

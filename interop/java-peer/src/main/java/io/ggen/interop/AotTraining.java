package io.ggen.interop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.host.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.kad.KadConfig;
import io.ggen.p2p.kad.KadDht;
import io.ggen.p2p.kad.RecordSelector;
import io.ggen.p2p.kad.RecordValidator;
import io.ggen.p2p.pubsub.gossipsub.Gossipsub;
import io.ggen.p2p.pubsub.gossipsub.GossipsubConfig;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The training run for the JDK's ahead-of-time cache of the Java peer (JDK 24+ {@code -XX:AOTCacheOutput},
 * built by {@code interop/java-peer/java-peer} and {@code bench/overlay.sh}): three hosts in one
 * JVM dial, identify, ping, gossip a few hundred StrictSign messages and put and get DHT records,
 * so the classes these paths load are stored already linked, with their method profiles. A peer
 * started from the cache skips loading and linking them and compiles its hot paths sooner, which
 * matters in whole-network runs of many short-lived peers on few cores.
 * Touches nothing outside the process; bounded in count and time.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        List<Host> hosts = new ArrayList<>();
        List<Gossipsub> subs = new ArrayList<>();
        List<KadDht> dhts = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        int messages = 400;
        CountDownLatch delivered = new CountDownLatch(messages * 2);
        try {
            for (int i = 0; i < 3; i++) {
                Host h = Host.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withIoThreads(1));
                KadDht d = KadDht.start(h, KadConfig.defaults());
                d.registerNamespace("ggen", RecordValidator.ACCEPT_ANY, RecordSelector.GREATEST);
                Gossipsub g = Gossipsub.start(h, GossipsubConfig.defaults());
                g.addListener((m, from) -> {
                    // the peer's message event: a JSON line
                    ObjectNode o = json.createObjectNode().put("event", "message").put("topic", m.topic()).put("from", m.from().toString())
                            .put("seqno", m.seqnoText()).put("size", m.data().length);
                    try {
                        json.writeValue(OutputStream.nullOutputStream(), o);
                    } catch (java.io.IOException ignored) {
                        // a null stream does not fail
                    }
                    delivered.countDown();
                });
                g.subscribe("training");
                hosts.add(h);
                dhts.add(d);
                subs.add(g);
            }
            for (int i = 1; i < hosts.size(); i++) {
                Host a = hosts.get(i);
                Host b = hosts.get(i - 1);
                a.dial(b.listenAddrs().get(0).withPeerId(b.peerId())).get(20, TimeUnit.SECONDS).identified().get(20, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && subs.stream().anyMatch(g -> g.meshPeers("training").isEmpty())) Thread.sleep(50);
            for (int k = 0; k < messages; k++) {
                byte[] data = new byte[256];
                ByteBuffer.wrap(data).putLong(k);
                subs.get(k % 3 == 0 ? 0 : 2).publish("training", data);
                if (k % 50 == 0) hosts.get(0).ping().ping(hosts.get(1).peerId(), 2);
            }
            for (int k = 0; k < 30; k++) {
                byte[] key = ("/ggen/training-" + k).getBytes(StandardCharsets.UTF_8);
                dhts.get(k % 3).put(key, ("v" + k).getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
                dhts.get((k + 1) % 3).get(key).get(20, TimeUnit.SECONDS);
                dhts.get((k + 2) % 3).provide(key).get(20, TimeUnit.SECONDS);
                dhts.get(k % 3).findProviders(key, 1, p -> { }).get(20, TimeUnit.SECONDS);
            }
            delivered.await(20, TimeUnit.SECONDS);
        } finally {
            for (Gossipsub g : subs) g.close();
            for (KadDht d : dhts) d.close();
            for (Host h : hosts) h.close();
        }
        System.exit(0);
    }
}

package io.ggen.p2p.kad;


import io.ggen.p2p.host.NettyHost;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.kad.pb.KadProto;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records a remote sends over the wire that our node must refuse: unknown namespace, oversized
 * value, failed validation, a record whose key differs from the message's; and a peer that
 * announces providers for someone else. The node answers the valid ones and keeps serving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KadDhtHostileTest {
    final List<NettyHost> hosts = new ArrayList<>();
    KadDht dht;
    NettyHost server;
    NettyHost client;

    @BeforeEach
    void start() throws Exception {
        server = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        client = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        hosts.addAll(List.of(server, client));
        dht = KadDht.start(server, KadConfig.defaults());
        dht.registerNamespace("strict", (k, v) -> {
            if (v.length == 0 || v[0] != 'o') throw new KadException("strict values start with 'o'");
        }, RecordSelector.GREATEST);
        client.dial(server.listenAddrs().get(0).withPeerId(server.peerId())).get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        dht.close();
        hosts.forEach(NettyHost::close);
    }

    /** Sends one raw request; the answer, or empty when the node reset the stream. */
    Optional<KadProto.Message> send(KadProto.Message m) throws Exception {
        Stream s = client.newStream(server.peerId(), List.of(KadConfig.GGEN_PROTOCOL)).get(20, TimeUnit.SECONDS);
        try (s) {
            LengthPrefixed.write(s.out(), m.toByteArray());
            s.closeWrite();
            return LengthPrefixed.read(s.in(), KadCodec.MAX_MESSAGE).map(b -> {
                try {
                    return KadProto.Message.parseFrom(b);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        } catch (java.io.IOException reset) {
            return Optional.empty();
        }
    }

    static KadProto.Message put(String key, byte[] value) {
        return put(key, key, value);
    }

    static KadProto.Message put(String messageKey, String recordKey, byte[] value) {
        return KadProto.Message.newBuilder().setType(KadProto.Message.MessageType.PUT_VALUE).setKey(ByteString.copyFromUtf8(messageKey))
                .setRecord(KadProto.Record.newBuilder().setKey(ByteString.copyFromUtf8(recordKey)).setValue(ByteString.copyFrom(value))).build();
    }

    @Test
    void invalidRecordsAreRefusedValidOnesStored() throws Exception {
        assertThat(send(put("/nope/x", "v".getBytes(StandardCharsets.UTF_8)))).as("unknown namespace").isEmpty();
        assertThat(send(put("/strict/big", ("o" + "x".repeat(KadCodec.MAX_VALUE)).getBytes(StandardCharsets.UTF_8)))).as("oversized").isEmpty();
        assertThat(send(put("/strict/bad", "nope".getBytes(StandardCharsets.UTF_8)))).as("failed validation").isEmpty();
        assertThat(send(put("/strict/a", "/strict/b", "ok".getBytes(StandardCharsets.UTF_8)))).as("keys differ").isEmpty();
        assertThat(dht.node().recordCount()).isZero();
        assertThat(send(put("/strict/good", "ok".getBytes(StandardCharsets.UTF_8)))).isPresent();
        assertThat(dht.node().recordCount()).isEqualTo(1);
        assertThat(dht.metrics().malformedReceived()).isEqualTo(4);
    }

    @Test
    void providersCanOnlyAnnounceThemselves() throws Exception {
        NettyHost third = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        hosts.add(third);
        byte[] key = "some-content".getBytes(StandardCharsets.UTF_8);
        KadProto.Message forOthers = KadProto.Message.newBuilder().setType(KadProto.Message.MessageType.ADD_PROVIDER).setKey(ByteString.copyFrom(key))
                .addProviderPeers(KadProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(third.peerId().toBytes()))).build();
        send(forOthers);
        KadProto.Message forSelf = KadProto.Message.newBuilder().setType(KadProto.Message.MessageType.ADD_PROVIDER).setKey(ByteString.copyFrom(key))
                .addProviderPeers(KadProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(client.peerId().toBytes()))).build();
        send(forSelf);
        KadProto.Message get = KadProto.Message.newBuilder().setType(KadProto.Message.MessageType.GET_PROVIDERS).setKey(ByteString.copyFrom(key)).build();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            KadProto.Message answer = send(get).orElseThrow();
            assertThat(answer.getProviderPeersList()).extracting(p -> p.getId()).containsExactly(ByteString.copyFrom(client.peerId().toBytes()));
        });
    }

    @Test
    void garbageFramesResetTheStreamAndTheNodeKeepsServing() throws Exception {
        Stream s = client.newStream(server.peerId(), List.of(KadConfig.GGEN_PROTOCOL)).get(20, TimeUnit.SECONDS);
        s.out().write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f});
        s.out().flush();
        int r;
        try {
            r = s.in().read();
        } catch (java.io.IOException reset) {
            r = -2;
        }
        assertThat(r).as("the node closes or resets the stream").isNegative();
        KadProto.Message find = KadProto.Message.newBuilder().setType(KadProto.Message.MessageType.FIND_NODE).setKey(ByteString.copyFromUtf8("x")).build();
        assertThat(send(find)).isPresent();
    }
}

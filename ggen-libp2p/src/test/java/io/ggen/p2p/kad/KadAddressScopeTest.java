package io.ggen.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.kad.pb.KadProto;
import io.ggen.p2p.multiaddr.AddressClassifier;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A private address never reaches a public peer through the DHT: not in our provider records
 * (ADD_PROVIDER), not in the providers or closer peers we answer with. Hosts on 127.0.0.1 whose
 * classifier counts 127.0.0.0/8 public stand for peers on the internet; 10.x addresses for a
 * home network.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KadAddressScopeTest {
    private static final AddressClassifier LOOPBACK_IS_PUBLIC = AddressClassifier.withPublicRanges(List.of("127.0.0.0/8"));
    private static final Multiaddr HOME = Multiaddr.fromString("/ip4/10.1.2.3/tcp/4001");
    private final List<NettyHost> hosts = new ArrayList<>();
    private final List<KadDht> dhts = new ArrayList<>();

    @AfterEach
    void stop() {
        dhts.forEach(KadDht::close);
        hosts.forEach(NettyHost::close);
    }

    private NettyHost host() {
        NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate())
                .withListenAddrs(List.of(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"))).withAddressClassifier(LOOPBACK_IS_PUBLIC));
        hosts.add(h);
        return h;
    }

    @Test
    void scopingKeepsTellableAddressesDropsUndialableCloserPeersAndKeepsProviders() {
        PeerId a = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        PeerId b = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Multiaddr pub = Multiaddr.fromString("/ip4/127.0.0.5/tcp/4001");
        KadMessage m = new KadMessage(KadMessage.Type.GET_PROVIDERS, new byte[] {1}, Optional.empty(),
                List.of(new KadMessage.PeerInfo(a, List.of(HOME, pub), true), new KadMessage.PeerInfo(b, List.of(HOME), false)),
                List.of(new KadMessage.PeerInfo(b, List.of(HOME), true)));
        KadMessage scoped = m.scopedTo(LOOPBACK_IS_PUBLIC::isPublic);
        assertThat(scoped.closerPeers()).containsExactly(new KadMessage.PeerInfo(a, List.of(pub), true));
        assertThat(scoped.providerPeers()).containsExactly(new KadMessage.PeerInfo(b, List.of(), true));
        KadMessage all = m.scopedTo(x -> true);
        assertThat(all.closerPeers()).isEqualTo(m.closerPeers());
        assertThat(all.providerPeers()).isEqualTo(m.providerPeers());
    }

    @Test
    void ourProviderRecordToAPublicPeerCarriesNoPrivateAddress() throws Exception {
        NettyHost home = host();
        NettyHost server = host();
        home.setRelayedAddrs(List.of(HOME)); // an address of ours only a home network can use
        assertThat(home.advertisedAddrs()).contains(HOME);
        KadDht homeDht = KadDht.start(home, KadConfig.defaults());
        KadDht serverDht = KadDht.start(server, KadConfig.defaults());
        dhts.addAll(List.of(homeDht, serverDht));
        home.dial(server.listenAddrs().get(0).withPeerId(server.peerId())).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> homeDht.routingTable().stream().anyMatch(e -> e.peer().equals(server.peerId())));

        byte[] key = "/ggen/scope-test".getBytes(StandardCharsets.UTF_8);
        assertThat(homeDht.provide(key).get(20, TimeUnit.SECONDS).stored()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> serverDht.node().providerKeyCount() == 1);
        assertThat(server.peerStore().addrs(home.peerId())).as("what the server learned of the home node").isNotEmpty().doesNotContain(HOME);
    }

    @Test
    void theProvidersWeAnswerAPublicPeerWithCarryNoPrivateAddress() throws Exception {
        NettyHost server = host();
        NettyHost asker = host();
        KadDht serverDht = KadDht.start(server, KadConfig.defaults());
        dhts.add(serverDht);
        NettyHost provider = host();
        Multiaddr providerPublic = provider.listenAddrs().get(0);
        byte[] key = "/ggen/scope-test-2".getBytes(StandardCharsets.UTF_8);
        serverDht.node().handle(provider.peerId(), new KadMessage(KadMessage.Type.ADD_PROVIDER, key, Optional.empty(), List.of(),
                List.of(new KadMessage.PeerInfo(provider.peerId(), List.of(providerPublic, HOME), true))));
        assertThat(server.peerStore().addrs(provider.peerId())).contains(HOME);

        asker.dial(server.listenAddrs().get(0).withPeerId(server.peerId())).get(20, TimeUnit.SECONDS);
        Stream s = asker.newStream(server.peerId(), List.of(KadConfig.GGEN_PROTOCOL)).get(20, TimeUnit.SECONDS);
        KadProto.Message answer;
        try (s) {
            LengthPrefixed.write(s.out(), KadProto.Message.newBuilder().setType(KadProto.Message.MessageType.GET_PROVIDERS)
                    .setKey(ByteString.copyFrom(key)).build().toByteArray());
            s.closeWrite();
            answer = KadProto.Message.parseFrom(LengthPrefixed.read(s.in(), KadCodec.MAX_MESSAGE).orElseThrow());
        }
        assertThat(answer.getProviderPeersList()).hasSize(1);
        List<Multiaddr> told = answer.getProviderPeers(0).getAddrsList().stream().map(b -> Multiaddr.fromBytes(b.toByteArray())).toList();
        assertThat(told).contains(providerPublic).doesNotContain(HOME);
    }
}

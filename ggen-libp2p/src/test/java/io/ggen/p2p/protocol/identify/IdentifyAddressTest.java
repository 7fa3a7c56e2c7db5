package io.ggen.p2p.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.IdentifyInfo;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which of our addresses identify tells whom: private ones stay home, observed ones wait for confirmation. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdentifyAddressTest {
    static final Multiaddr NAT_ADDR = Multiaddr.fromString("/ip4/8.8.8.8/tcp/4001");
    final List<NettyHost> hosts = new ArrayList<>();

    NettyHost host() {
        NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        hosts.add(h);
        return h;
    }

    @AfterEach
    void close() {
        hosts.forEach(NettyHost::close);
    }

    /** A peer whose identify answer says it sees us at {@code seenAt}. */
    NettyHost observer(Multiaddr seenAt) {
        NettyHost x = host();
        x.handle(IdentifyService.PROTOCOL, s -> {
            s.out().write(IdentifyCodec.encodeDelimited(IdentifyInfo.of(x.identity().publicKey(), "ggen/1.0.0", "test",
                    x.listenAddrs(), Optional.of(seenAt), x.protocols(), Optional.empty())));
            s.out().flush();
        });
        return x;
    }

    static Connection connect(NettyHost from, NettyHost to) throws Exception {
        Connection c = from.dial(to.listenAddrs().get(0).withPeerId(to.peerId())).get(10, TimeUnit.SECONDS);
        c.identified().get(10, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void aPeerOnAPublicAddressIsNotToldOurLoopbackOrPrivateAddresses() {
        NettyHost a = host();
        IdentifyService id = a.identify();
        assertThat(id.advertisedAddrs(Optional.of(Multiaddr.fromString("/ip4/1.1.1.1/tcp/5")))).isEmpty();
        assertThat(id.advertisedAddrs(Optional.of(Multiaddr.fromString("/ip4/127.0.0.1/tcp/5")))).isEqualTo(a.listenAddrs());
        assertThat(id.advertisedAddrs(Optional.empty())).isEqualTo(a.listenAddrs());
        assertThat(id.localInfo(Optional.empty()).listenAddrs()).isEqualTo(a.listenAddrs());
    }

    @Test
    void anObservedAddressIsAdvertisedOnlyOnceThreeDistinctPeersSawIt() throws Exception {
        NettyHost a = host();
        connect(a, observer(NAT_ADDR));
        connect(a, observer(NAT_ADDR));
        assertThat(a.identify().observedAddrs()).contains(NAT_ADDR);
        assertThat(a.identify().advertisedAddrs(Optional.empty())).doesNotContain(NAT_ADDR);
        NettyHost third = observer(NAT_ADDR);
        Connection c = connect(a, third);
        c.identified().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.identify().advertisedAddrs(Optional.empty()).contains(NAT_ADDR));
        assertThat(a.identify().advertisedAddrs(Optional.of(Multiaddr.fromString("/ip4/1.1.1.1/tcp/5")))).containsExactly(NAT_ADDR);
    }

    @Test
    void anAddressAutonatFoundUnreachableIsNotAdvertisedAndOneItConfirmedIsPushed() throws Exception {
        NettyHost a = host();
        for (int i = 0; i < 3; i++) connect(a, observer(NAT_ADDR));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.identify().advertisedAddrs(Optional.empty()).contains(NAT_ADDR));
        a.events().publish(new Event.AddressReachabilityChanged(NAT_ADDR, Event.Reachability.PRIVATE));
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.identify().advertisedAddrs(Optional.empty()).contains(NAT_ADDR));

        NettyHost b = host();
        connect(b, a);
        Multiaddr confirmed = Multiaddr.fromString("/ip4/9.9.9.9/tcp/4001");
        a.events().publish(new Event.AddressReachabilityChanged(confirmed, Event.Reachability.PUBLIC));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.peerStore().addrs(a.peerId()).contains(confirmed));
    }

    @Test
    void relayedAndConfirmedAddressesReachIdentifyAndTheHostAlike() throws Exception {
        NettyHost a = host();
        Multiaddr relayed = Multiaddr.fromString("/ip4/7.7.7.7/tcp/4001/p2p/" + host().peerId() + "/p2p-circuit");
        a.setRelayedAddrs(List.of(relayed));
        for (int i = 0; i < 3; i++) connect(a, observer(NAT_ADDR));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.identify().confirmedAddrs().contains(NAT_ADDR));
        // the DHT's records and identify carry the same addresses, in the same order
        assertThat(a.advertisedAddrs()).containsExactly(a.listenAddrs().get(0), NAT_ADDR, relayed);
        assertThat(a.identify().advertisedAddrs(Optional.empty())).isEqualTo(a.advertisedAddrs());
        assertThat(a.identify().advertisedAddrs(Optional.of(Multiaddr.fromString("/ip4/1.1.1.1/tcp/5")))).containsExactly(NAT_ADDR, relayed);
    }

    /**
     * What status shows as advertised (what any public peer hears) follows the configured
     * classification: an address in a configured private range is not in it, whatever public
     * address a peer would have.
     */
    @Test
    void whatPublicPeersHearHonoursConfiguredPrivateRanges() {
        io.ggen.p2p.multiaddr.AddressClassifier corp = new io.ggen.p2p.multiaddr.AddressClassifier(List.of(),
                List.of(io.ggen.p2p.multiaddr.IpRange.parse("8.8.0.0/16"), io.ggen.p2p.multiaddr.IpRange.parse("9.9.0.0/16")));
        NettyHost a = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withAddressClassifier(corp));
        hosts.add(a);
        Multiaddr routedInside = Multiaddr.fromString("/ip4/9.9.1.1/tcp/4001");
        Multiaddr relayed = Multiaddr.fromString("/ip4/7.7.7.7/tcp/4001/p2p/" + host().peerId() + "/p2p-circuit");
        a.setRelayedAddrs(List.of(routedInside, relayed));
        assertThat(a.identify().advertisedToPublicPeers()).containsExactly(relayed);
    }

    /** What a hole punch would offer, less the loopback addresses the observers' own identify pushes report. */
    static List<Multiaddr> offered(NettyHost a) {
        return a.identify().holePunchAddrs().stream().filter(m -> !m.isLoopback()).toList();
    }

    @Test
    void aHolePunchOffersObservedAddressesConfirmedFirstAndKeepsThoseAutonatCouldNotDial() throws Exception {
        NettyHost a = host();
        Multiaddr once = Multiaddr.fromString("/ip4/5.5.5.5/tcp/1000");
        connect(a, observer(once));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.identify().observedAddrs().contains(once));
        assertThat(offered(a)).as("nothing confirmed: every observed address").containsExactly(once);

        // a NAT that gives each connection its own port: one IP, two peers, two ports
        Multiaddr portA = Multiaddr.fromString("/ip4/8.8.8.8/tcp/2001");
        Multiaddr portB = Multiaddr.fromString("/ip4/8.8.8.8/tcp/2002");
        connect(a, observer(portA));
        connect(a, observer(portB));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.identify().observedAddrs().containsAll(List.of(portA, portB)));
        a.events().publish(new Event.AddressReachabilityChanged(portA, Event.Reachability.PRIVATE));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(offered(a))
                .as("the IP two peers agree on, unreachable or not; not the lone one").containsExactlyInAnyOrder(portA, portB));

        Multiaddr dialedBack = Multiaddr.fromString("/ip4/9.9.9.9/tcp/4001");
        a.events().publish(new Event.AddressReachabilityChanged(dialedBack, Event.Reachability.PUBLIC));
        await().atMost(Duration.ofSeconds(10)).until(() -> offered(a).contains(dialedBack));
        assertThat(a.identify().holePunchAddrs().get(0)).as("confirmed first").isEqualTo(dialedBack);
    }
}

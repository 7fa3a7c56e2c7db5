package io.ggen.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    final PeerId self = peer();
    final KadKey selfKey = KadKey.of(self);

    /** Peers that all land in the bucket of common prefix length 0 (the far half of the space). */
    List<PeerId> farPeers(int n) {
        List<PeerId> out = new ArrayList<>();
        while (out.size() < n) {
            PeerId p = peer();
            if (selfKey.commonPrefixLength(KadKey.of(p)) == 0) out.add(p);
        }
        return out;
    }

    @Test
    void aFullBucketAsksToPingItsOldestAndEvictionPromotesTheReplacement() {
        RoutingTable t = new RoutingTable(selfKey, 3, 2, 10);
        List<PeerId> ps = farPeers(5);
        for (int i = 0; i < 3; i++) assertThat(t.add(ps.get(i), List.of(), i)).isInstanceOf(RoutingTable.Add.Added.class);
        assertThat(t.add(ps.get(3), List.of(), 10)).isEqualTo(new RoutingTable.Add.PingOldest(ps.get(0)));
        assertThat(t.contains(ps.get(3))).isFalse();
        t.seen(ps.get(0), 11); // the oldest answered: it stays, now the most recent
        assertThat(t.add(ps.get(4), List.of(), 12)).isEqualTo(new RoutingTable.Add.PingOldest(ps.get(1)));
        assertThat(t.evict(ps.get(1), 13)).isTrue();
        assertThat(t.contains(ps.get(4))).as("the freshest replacement takes the slot").isTrue();
        assertThat(t.size()).isEqualTo(3);
    }

    @Test
    void publicPrefixesAreLimitedPrivateOnesAreNot() {
        RoutingTable t = new RoutingTable(selfKey, 20, 2, 3);
        List<PeerId> ps = farPeers(6);
        List<Multiaddr> samePublic16 = List.of(Multiaddr.fromString("/ip4/8.8.1.1/tcp/1"));
        assertThat(t.add(ps.get(0), samePublic16, 0)).isInstanceOf(RoutingTable.Add.Added.class);
        assertThat(t.add(ps.get(1), List.of(Multiaddr.fromString("/ip4/8.8.2.2/tcp/1")), 0)).isInstanceOf(RoutingTable.Add.Added.class);
        assertThat(t.add(ps.get(2), List.of(Multiaddr.fromString("/ip4/8.8.3.3/tcp/1")), 0)).isInstanceOf(RoutingTable.Add.Rejected.class);
        for (int i = 3; i < 6; i++) assertThat(t.add(ps.get(i), List.of(Multiaddr.fromString("/ip4/127.0.0.1/tcp/" + (4000 + i))), 0)).isInstanceOf(RoutingTable.Add.Added.class);
    }

    @Test
    void closestIsOrderedByXorDistance() {
        RoutingTable t = new RoutingTable(selfKey, 20, 2, 10);
        List<PeerId> ps = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            PeerId p = peer();
            if (t.add(p, List.of(), 0) instanceof RoutingTable.Add.Added) ps.add(p);
        }
        KadKey target = KadKey.of(peer());
        List<RoutingTable.Entry> c = t.closest(target, 10);
        assertThat(c).hasSize(10);
        for (int i = 1; i < c.size(); i++) assertThat(target.compareDistance(c.get(i - 1).key(), c.get(i).key())).isNegative();
        ps.sort((a, b) -> target.compareDistance(KadKey.of(a), KadKey.of(b)));
        assertThat(c.get(0).peer()).isEqualTo(ps.get(0));
        assertThat(t.add(self, List.of(), 0)).isInstanceOf(RoutingTable.Add.Rejected.class);
    }

    @Test
    void commonPrefixLengths() {
        KadKey a = KadKey.fromHash(new byte[32]);
        byte[] b = new byte[32];
        b[1] = 0x10; // bit 11
        assertThat(a.commonPrefixLength(KadKey.fromHash(b))).isEqualTo(11);
        assertThat(a.commonPrefixLength(a)).isEqualTo(256);
    }
}

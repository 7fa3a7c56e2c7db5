package io.ggen.p2p.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The meter's counts, rates (on a clock the test drives) and bounds. */
class BandwidthMeterTest {
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final BandwidthMeter meter = new BandwidthMeter(clock::get);
    final PeerId a = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    final PeerId b = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());

    void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void countsPerPeerPerProtocolAndInTotal() {
        meter.received(a, "/x/1", 100);
        meter.sent(a, "/x/1", 40);
        meter.received(b, "/y/1", 7);
        meter.sent(b, "/x/1", 3);
        assertThat(meter.total()).isEqualTo(new BandwidthMeter.Totals(107, 43, 0, 0));
        assertThat(meter.byProtocol()).containsOnlyKeys("/x/1", "/y/1");
        assertThat(meter.byProtocol().get("/x/1").bytesIn()).isEqualTo(100);
        assertThat(meter.byProtocol().get("/x/1").bytesOut()).isEqualTo(43);
        assertThat(meter.peer(a).orElseThrow().bytesIn()).isEqualTo(100);
        assertThat(meter.peer(b).orElseThrow().bytesOut()).isEqualTo(3);
    }

    @Test
    void aSteadyRateIsReachedAndFadesWhenTrafficStops() {
        for (int s = 0; s < 60; s++) {
            meter.received(a, "/x/1", 1000);
            advance(Duration.ofSeconds(1));
            meter.tick(p -> true);
        }
        assertThat(meter.total().rateIn()).isBetween(990.0, 1000.0);
        assertThat(meter.peer(a).orElseThrow().rateIn()).isBetween(990.0, 1000.0);
        for (int s = 0; s < 60; s++) {
            advance(Duration.ofSeconds(1));
            meter.tick(p -> true);
        }
        assertThat(meter.total().rateIn()).isLessThan(10.0);
        assertThat(meter.total().bytesIn()).isEqualTo(60_000);
    }

    @Test
    void aDisconnectedPeerIdleForAnHourIsForgottenAConnectedOneIsNot() {
        meter.received(a, "/x/1", 1);
        meter.received(b, "/x/1", 1);
        meter.tick(p -> true);
        advance(BandwidthMeter.FORGET_AFTER.plusSeconds(1));
        meter.tick(p -> p.equals(b));
        assertThat(meter.peer(a)).isEmpty();
        assertThat(meter.peer(b)).isPresent();
        // The totals keep what the forgotten peer moved.
        assertThat(meter.total().bytesIn()).isEqualTo(2);
    }

    @Test
    void protocolsAreBoundedFurtherOnesCountAsOther() {
        for (int i = 0; i < BandwidthMeter.MAX_PROTOCOLS + 50; i++) meter.received(a, "/p/" + i, 1);
        assertThat(meter.byProtocol()).hasSize(BandwidthMeter.MAX_PROTOCOLS + 1).containsKey(BandwidthMeter.OTHER_PROTOCOL);
        assertThat(meter.byProtocol().get(BandwidthMeter.OTHER_PROTOCOL).bytesIn()).isEqualTo(50);
    }

    @Test
    void peersStayWithinTheBoundAfterATickKeepingConnectedOnes() {
        List<PeerId> ids = new ArrayList<>();
        for (int i = 0; i < BandwidthMeter.MAX_PEERS + 100; i++) ids.add(PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey()));
        qt().withExamples(3).forAll(lists().of(integers().between(0, ids.size() - 1)).ofSizeBetween(1, 20)).checkAssert(connectedIdx -> {
            BandwidthMeter m = new BandwidthMeter(clock::get);
            for (PeerId p : ids) {
                m.sent(p, "/x/1", 1);
                advance(Duration.ofMillis(1));
            }
            Set<PeerId> connected = new java.util.HashSet<>();
            for (int i : connectedIdx) connected.add(ids.get(i));
            m.tick(connected::contains);
            assertThat(m.peerCount()).isEqualTo(BandwidthMeter.MAX_PEERS);
            for (PeerId p : connected) assertThat(m.peer(p)).isPresent();
            // The newest disconnected peer stays; the oldest ones go first.
            PeerId newest = ids.get(ids.size() - 1);
            if (!connected.contains(newest)) assertThat(m.peer(newest)).isPresent();
        });
    }
}

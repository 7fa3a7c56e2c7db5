package io.ggen.p2p.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import io.ggen.p2p.core.ConnectionLimit;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.holepunch.HolePunchCodec;
import io.ggen.p2p.holepunch.HolePunchException;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/** Hop, stop and DCUtR codecs and the relay's bookkeeping, against hostile and random input. */
class RelayCodecTest {
    private static Gen<byte[]> bytes(int maxLength) {
        return SourceDSL.lists().of(SourceDSL.integers().between(0, 255)).ofSizeBetween(0, maxLength).map(l -> {
            byte[] b = new byte[l.size()];
            for (int i = 0; i < b.length; i++) b[i] = (byte) (int) l.get(i);
            return b;
        });
    }

    @Test
    void randomBytesAreAMessageOrAProtocolErrorNeverAnythingElse() {
        qt().withExamples(5000).forAll(bytes(300)).checkAssert(b -> {
            for (int kind = 0; kind < 3; kind++) {
                try {
                    switch (kind) {
                        case 0 -> RelayCodec.readHop(new ByteArrayInputStream(b));
                        case 1 -> RelayCodec.readStop(new ByteArrayInputStream(b));
                        default -> HolePunchCodec.read(new ByteArrayInputStream(b));
                    }
                } catch (RelayProtocolException | HolePunchException | java.io.EOFException expected) {
                    // a bad message, said so
                } catch (java.io.IOException e) {
                    throw new AssertionError("unexpected " + e, e);
                }
            }
        });
    }

    @Test
    void messagesSurviveTheRoundTrip() throws Exception {
        PeerId p = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Multiaddr a = Multiaddr.fromString("/ip4/198.51.100.10/tcp/4001").withPeerId(p);
        ConnectionLimit l = new ConnectionLimit(Duration.ofSeconds(120), 131072);
        List<RelayMessage.Hop> hops = List.of(new RelayMessage.Reserve(), new RelayMessage.Connect(new RelayMessage.PeerInfo(p, List.of(a))),
                RelayMessage.HopStatus.of(RelayMessage.Status.NO_RESERVATION),
                new RelayMessage.HopStatus(RelayMessage.Status.OK, Optional.empty(), Optional.of(l)));
        for (RelayMessage.Hop h : hops) {
            assertThat(RelayCodec.readHop(new ByteArrayInputStream(LengthPrefixed.frame(RelayCodec.encode(h)))).orElseThrow()).isEqualTo(h);
        }
        RelayMessage.Stop stop = new RelayMessage.StopConnect(new RelayMessage.PeerInfo(p, List.of()), Optional.of(l));
        assertThat(RelayCodec.readStop(new ByteArrayInputStream(LengthPrefixed.frame(RelayCodec.encode(stop)))).orElseThrow()).isEqualTo(stop);
    }

    @Test
    void aLengthOverTheLimitIsRefusedBeforeAllocationAndAddressListsAreCut() throws Exception {
        byte[] prefix = io.ggen.p2p.multiformats.Varint.encode(RelayCodec.MAX_MESSAGE_SIZE + 1L);
        assertThatThrownBy(() -> RelayCodec.readHop(new ByteArrayInputStream(prefix))).isInstanceOf(RelayProtocolException.class);
        PeerId p = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        List<Multiaddr> many = new ArrayList<>();
        for (int i = 0; i < 60; i++) many.add(Multiaddr.fromString("/ip4/203.0.113." + i + "/tcp/1"));
        byte[] wire = RelayCodec.encode(new RelayMessage.Connect(new RelayMessage.PeerInfo(p, many)));
        RelayMessage.Connect back = (RelayMessage.Connect) RelayCodec.decodeHop(wire);
        assertThat(back.peer().addrs()).hasSize(RelayCodec.MAX_ADDRS);
    }

    @Test
    void aVoucherOpensOnlyWithTheRelaysSignatureAndItsOwnPayloadType() throws Exception {
        PrivateKey relayKey = Ed25519PrivateKey.generate();
        PeerId relay = PeerId.fromPublicKey(relayKey.publicKey());
        PeerId peer = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        ReservationVoucher v = new ReservationVoucher(relay, peer, 1_900_000_000L);
        assertThat(ReservationVoucher.open(v.seal(relayKey))).isEqualTo(v);
        byte[] other = io.ggen.p2p.record.Envelope.seal(relayKey, ReservationVoucher.DOMAIN, new byte[] {0x03, 0x01}, new byte[] {1}).encode();
        assertThatThrownBy(() -> ReservationVoucher.open(other)).isInstanceOf(RelayProtocolException.class).hasMessageContaining("payload type");
        byte[] tampered = v.seal(relayKey);
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> ReservationVoucher.open(tampered)).isInstanceOf(RelayProtocolException.class);
    }

    @Test
    void theTableCountsARefreshOnceExpiresOldReservationsAndBoundsCircuits() {
        ReservationTable t = new ReservationTable(RelayConfig.defaults().withReservations(2, 2).withCircuits(1, 1));
        PeerId a = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        PeerId b = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        PeerId c = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Instant now = Instant.parse("2026-12-05T00:00:00Z");
        assertThat(t.reserve(a, "4:01", now)).isEqualTo(ReservationTable.Outcome.OK);
        assertThat(t.reserve(a, "4:01", now.plusSeconds(60))).isEqualTo(ReservationTable.Outcome.OK);
        assertThat(t.reserve(b, "4:01", now)).isEqualTo(ReservationTable.Outcome.OK);
        assertThat(t.reserve(c, "4:02", now)).isEqualTo(ReservationTable.Outcome.TOO_MANY_RESERVATIONS);
        assertThat(t.openCircuit(c, a, now)).isEqualTo(ReservationTable.Outcome.OK);
        assertThat(t.openCircuit(c, b, now)).isEqualTo(ReservationTable.Outcome.TOO_MANY_CIRCUITS);
        t.closeCircuit(c, a);
        assertThat(t.openCircuit(a, c, now)).isEqualTo(ReservationTable.Outcome.NO_RESERVATION);
        // an hour later both are gone, and a new peer gets a slot
        Instant later = now.plus(Duration.ofHours(1)).plusSeconds(61);
        assertThat(t.reserve(c, "4:02", later)).isEqualTo(ReservationTable.Outcome.OK);
        assertThat(t.reservations()).isEqualTo(1);
        t.cancel(c);
        assertThat(t.bookkeepingEntries()).isZero();
    }
}

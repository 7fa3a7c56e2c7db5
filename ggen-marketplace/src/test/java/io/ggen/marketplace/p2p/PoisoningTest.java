package io.ggen.marketplace.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.PeerReputation;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.marketplace.release.PackageHead;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.kad.KadException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provider and head poisoning: what one hostile peer can do to a package's providers and head. */
class PoisoningTest {
    @TempDir
    Path tmp;

    Publisher.Published publish(String id) throws Exception {
        MarketplaceHome pub = new MarketplaceHome(tmp.resolve("publisher-" + id));
        Path src = tmp.resolve("src-" + id);
        MarketNet.writePack(src, id, "A popular package", 0);
        try (Catalog pc = pub.openCatalog()) {
            return new Publisher(pub.store(), pc).publish(src, null, false, Ed25519PrivateKey.generate(), ArchiveLimits.DEFAULT);
        }
    }

    static List<String> providers(Catalog c, String cid) {
        return c.providers(cid).stream().map(PeerReputation::peerId).toList();
    }

    @Test
    void anAnnouncementReplayedUnderManyIdentitiesEvictsNoHonestProvider() throws Exception {
        Publisher.Published p = publish("io.example.popular");
        byte[] record = p.signed().encode();
        String cid = p.release().cid().toString();
        try (Catalog c = new MarketplaceHome(tmp.resolve("node")).openCatalog()) {
            ReleaseIntake intake = new ReleaseIntake(c);
            List<String> honest = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String peer = "honest-" + i;
                honest.add(peer);
                intake.accept(record, peer, new ProviderAdmission.Source(peer, "198.51.100." + i));
            }
            for (int i = 0; i < 10; i++) c.recordRetrieval("honest-" + i, true); // these served verified bytes
            // One peer replays the genuine announcement under 70 identities...
            for (int i = 0; i < 70; i++) intake.accept(record, "sybil-" + i, new ProviderAdmission.Source("relay", "203.0.113.9"));
            // ...and 70 peers behind one address do the same.
            for (int i = 0; i < 70; i++) intake.accept(record, "sybil-ip-" + i, new ProviderAdmission.Source("sybil-ip-" + i, "203.0.113.10"));

            List<String> kept = providers(c, cid);
            assertThat(kept).containsAll(honest).hasSizeLessThanOrEqualTo(Catalog.MAX_PROVIDERS_PER_CID);
            assertThat(kept.stream().filter(s -> s.startsWith("sybil-ip-"))).hasSize(ProviderAdmission.DEFAULT_PER_IP);
            assertThat(kept.stream().filter(s -> s.startsWith("sybil-") && !s.startsWith("sybil-ip-"))).hasSize(ProviderAdmission.DEFAULT_PER_PEER);
            assertThat(intake.admission().refused()).isEqualTo(140 - ProviderAdmission.DEFAULT_PER_IP - ProviderAdmission.DEFAULT_PER_PEER);
            // A provider the same source brought before comes again freely (a refresh).
            assertThat(intake.addProvider(cid, "sybil-0", new ProviderAdmission.Source("relay", "203.0.113.9"))).isTrue();
        }
    }

    @Test
    void providersThatServedVerifiedBytesAreNeverEvictedByUnprovenOnes() throws Exception {
        Publisher.Published p = publish("io.example.served");
        String cid = p.release().cid().toString();
        try (Catalog c = new MarketplaceHome(tmp.resolve("node")).openCatalog()) {
            List<String> proven = new ArrayList<>();
            for (int i = 0; i < Catalog.MAX_PROVIDERS_PER_CID; i++) {
                proven.add("proven-" + i);
                c.recordRetrieval("proven-" + i, true);
                c.addProvider(cid, "proven-" + i);
            }
            // newcomers from many sources (no admission limit here): none displaces a proven provider
            for (int i = 0; i < 100; i++) c.addProvider(cid, "newcomer-" + i);
            assertThat(providers(c, cid)).containsExactlyInAnyOrderElementsOf(proven);

            // with room for unproven ones, the most recent newcomers take it
            String other = publish("io.example.half").release().cid().toString();
            for (int i = 0; i < 60; i++) c.addProvider(other, "proven-" + i);
            for (int i = 0; i < 100; i++) c.addProvider(other, "newcomer-" + i);
            List<String> kept = providers(c, other);
            assertThat(kept).hasSize(Catalog.MAX_PROVIDERS_PER_CID).containsAll(proven.subList(0, 60));
            assertThat(kept.stream().filter(s -> s.startsWith("newcomer-"))).hasSize(4);
            // a proven newcomer takes an unproven one's place
            c.recordRetrieval("proven-63", true);
            c.addProvider(other, "proven-63");
            assertThat(providers(c, other)).contains("proven-63").containsAll(proven.subList(0, 60));
        }
    }

    static byte[] head(String id, Ed25519PrivateKey owner, Publisher.Published p, long sequence) {
        PackageHead h = new PackageHead(id, owner.publicKey(), sequence,
                List.of(new PackageHead.Entry(p.release().version().toString(), p.release().cid(), false)), sequence);
        return SignedRecord.sign(h, owner).encode();
    }

    @Test
    void aHeadWithAnImplausibleSequenceIsRefusedAndNeverWins() throws Exception {
        Publisher.Published p = publish("io.example.squat");
        Clock clock = Clock.fixed(Instant.parse("2026-12-04T22:00:00Z"), ZoneOffset.UTC);
        long now = clock.millis();
        byte[] key = (HeadRecords.PREFIX + "io.example.squat").getBytes(StandardCharsets.UTF_8);
        try (Catalog c = new MarketplaceHome(tmp.resolve("node")).openCatalog()) {
            byte[] squat = head("io.example.squat", Ed25519PrivateKey.generate(), p, 9_000_000_000_000_000_000L);
            byte[] honest = head("io.example.squat", Ed25519PrivateKey.generate(), p, now);
            byte[] skewed = head("io.example.squat", Ed25519PrivateKey.generate(), p, now + HeadRecords.MAX_CLOCK_AHEAD.toMillis() - 1);

            assertThatThrownBy(() -> HeadRecords.validator(c, clock).validate(key, squat))
                    .isInstanceOf(KadException.class).hasMessageContaining("ahead of this node's clock");
            HeadRecords.validator(c, clock).validate(key, honest);
            HeadRecords.validator(c, clock).validate(key, skewed); // a clock a little fast is fine

            assertThat(HeadRecords.selector(clock).select(key, List.of(squat, honest))).isEqualTo(1);
            assertThat(HeadRecords.selector(clock).select(key, List.of(honest, squat))).isZero();
        }
    }
}

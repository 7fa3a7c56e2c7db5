package io.ggen.marketplace.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.p2p.crypto.PeerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads over {@code /ggen/fetch/1.0.0} between real hosts in one JVM: byte ranges from four
 * providers at once, a provider killed mid-download (parallel and one-at-a-time), and a provider
 * with corrupted bytes among honest ones, found by its ranges.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NetworkFetcherTest {
    @TempDir
    Path tmp;

    MarketNet net;

    @AfterEach
    void close() {
        if (net != null) net.close();
    }

    /** One downloader and {@code n} providers of a {@code mib} MiB pack, all connected to the downloader. */
    record Setup(MarketNet.Member downloader, List<MarketNet.Member> providers, Publisher.Published pack) {
        List<PeerId> providerIds() {
            return providers.stream().map(p -> p.host.peerId()).toList();
        }
    }

    Setup setup(int n, int mib, MarketplaceNetwork.Transfers providerTransfers) throws Exception {
        net = new MarketNet(tmp.resolve("net"));
        MarketNet.Member downloader = net.add();
        List<MarketNet.Member> providers = new ArrayList<>();
        for (int i = 0; i < n; i++) providers.add(net.add(providerTransfers));
        Publisher.Published p = MarketNet.publish(providers.get(0), tmp.resolve("src"), "io.example.big", "A big pack", mib);
        for (MarketNet.Member m : providers.subList(1, n)) MarketNet.copyRelease(providers.get(0), m, p);
        for (MarketNet.Member m : providers) m.connect(downloader);
        downloader.catalog.addRelease(p.signed());
        return new Setup(downloader, providers, p);
    }

    NetworkFetcher fetcher(Setup s, int parallel) {
        return new NetworkFetcher(s.downloader().host, s.downloader().home.store(), s.downloader().catalog, cid -> s.providerIds(), Duration.ofSeconds(5), parallel);
    }

    @Test
    void aLargeArchiveIsDrawnFromFourProvidersAtOnce() throws Exception {
        Setup s = setup(4, 24, MarketplaceNetwork.Transfers.DEFAULT);
        ContentId cid = s.pack().release().cid();
        long[] last = {0};
        fetcher(s, 4).fetch(cid, s.pack().release().size(), done -> last[0] = Math.max(last[0], done));
        assertThat(s.downloader().home.store().contains(cid)).isTrue();
        assertThat(s.downloader().home.store().verify(cid)).isTrue();
        assertThat(last[0]).isEqualTo(s.pack().release().size());
        for (PeerId p : s.providerIds()) assertThat(s.downloader().catalog.peer(p.toString()).successful()).as("provider %s served a range", p).isEqualTo(1);
    }

    @Test
    void downloadAndUploadLimitsPaceATransferThatStillCompletes() throws Exception {
        // The providers' total upload and the downloader's total download are both limited; the
        // transfer completes, every byte went through both buckets, and both made it wait. The
        // download limit is half the upload limit: bytes arrive faster than the downloader may take
        // them, so its bucket must wait however slow the machine is (at equal rates it need not).
        TransferMeter upload = TransferMeter.ofRates(0, 1L << 20);
        Setup s = setup(2, 2, new MarketplaceNetwork.Transfers(4, 0, upload));
        ContentId cid = s.pack().release().cid();
        long size = s.pack().release().size();
        TransferMeter download = TransferMeter.ofRates(512L << 10, 0);
        new NetworkFetcher(s.downloader().host, s.downloader().home.store(), s.downloader().catalog, cid2 -> s.providerIds(),
                P2pTimeouts.DEFAULT.withTransferStall(Duration.ofSeconds(5)), 2, download).fetch(cid, size, done -> { });
        assertThat(s.downloader().home.store().verify(cid)).isTrue();
        assertThat(download.fetchedBytes()).isEqualTo(size);
        assertThat(download.download().granted()).isEqualTo(size);
        assertThat(download.download().waits()).isPositive();
        assertThat(upload.servedBytes()).isEqualTo(size);
        assertThat(upload.upload().granted()).isEqualTo(size);
        assertThat(upload.upload().waits()).isPositive();
    }

    @Test
    void aProviderKilledMidDownloadLeavesTheRestToTheOthers() throws Exception {
        // Paced uploads (8 MiB/s per transfer), so the kill lands while every provider is sending.
        Setup s = setup(4, 24, new MarketplaceNetwork.Transfers(4, 8L << 20));
        ContentId cid = s.pack().release().cid();
        long size = s.pack().release().size();
        MarketNet.Member victim = s.providers().get(1);
        AtomicBoolean killed = new AtomicBoolean();
        fetcher(s, 4).fetch(cid, size, done -> {
            if (done > size / 3 && killed.compareAndSet(false, true)) Thread.ofVirtual().start(victim::close);
        });
        assertThat(killed).isTrue();
        assertThat(s.downloader().home.store().verify(cid)).isTrue();
        assertThat(s.downloader().catalog.peer(victim.host.peerId().toString()).failed()).isEqualTo(1);
    }

    @Test
    void oneAtATime_aDroppedTransferResumesFromTheNextProvider() throws Exception {
        Setup s = setup(2, 8, new MarketplaceNetwork.Transfers(1, 8L << 20));
        ContentId cid = s.pack().release().cid();
        long size = s.pack().release().size();
        MarketNet.Member first = s.providers().get(0);
        AtomicBoolean killed = new AtomicBoolean();
        long[] max = {0};
        fetcher(s, 1).fetch(cid, size, done -> {
            max[0] = Math.max(max[0], done);
            if (done > size / 3 && killed.compareAndSet(false, true)) Thread.ofVirtual().start(first::close);
        });
        assertThat(s.downloader().home.store().verify(cid)).isTrue();
        // Resumed, not restarted: no byte was counted twice.
        assertThat(max[0]).isEqualTo(size);
        assertThat(s.downloader().catalog.peer(first.host.peerId().toString()).failed()).isEqualTo(1);
        assertThat(s.downloader().catalog.peer(s.providers().get(1).host.peerId().toString()).successful()).isEqualTo(1);
    }

    @Test
    void aProviderWithCorruptedBytesAmongHonestOnesIsFoundByItsRanges() throws Exception {
        Setup s = setup(4, 16, MarketplaceNetwork.Transfers.DEFAULT);
        ContentId cid = s.pack().release().cid();
        MarketNet.Member liar = s.providers().get(2);
        corrupt(liar.home.store().pathOf(cid));
        fetcher(s, 4).fetch(cid, s.pack().release().size(), done -> { });
        assertThat(s.downloader().home.store().verify(cid)).isTrue();
        assertThat(s.downloader().catalog.peer(liar.host.peerId().toString()).failed()).isGreaterThanOrEqualTo(1);
        for (MarketNet.Member honest : s.providers()) {
            if (honest != liar) assertThat(s.downloader().catalog.peer(honest.host.peerId().toString()).failed()).as("honest provider blamed").isZero();
        }
        try (var files = Files.list(s.downloader().home.store().root().resolve("tmp"))) {
            assertThat(files.toList()).as("no evidence left behind").isEmpty();
        }
    }

    @Test
    void whenEveryProviderLiesNothingIsKeptAndAllLoseReputation() throws Exception {
        Setup s = setup(2, 6, MarketplaceNetwork.Transfers.DEFAULT);
        ContentId cid = s.pack().release().cid();
        for (MarketNet.Member m : s.providers()) corrupt(m.home.store().pathOf(cid));
        assertThatThrownBy(() -> fetcher(s, 4).fetch(cid, s.pack().release().size(), done -> { })).isInstanceOf(IOException.class)
                .hasMessageContaining("right content");
        assertThat(s.downloader().home.store().contains(cid)).isFalse();
        for (MarketNet.Member m : s.providers()) assertThat(s.downloader().catalog.peer(m.host.peerId().toString()).failed()).isGreaterThanOrEqualTo(1);
    }

    /** Flips a byte in every 64 KiB of a stored object (the provider's disk went bad, or it lies), so every range it serves is wrong. */
    static void corrupt(Path object) throws IOException {
        byte[] b = Files.readAllBytes(object);
        for (int i = 1000; i < b.length; i += 1 << 16) b[i] ^= 0x5a;
        Files.write(object, b, StandardOpenOption.TRUNCATE_EXISTING);
    }
}

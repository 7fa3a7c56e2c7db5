package io.ggen.marketplace.p2p;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.content.ContentStore;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.host.Host;
import io.ggen.p2p.host.Stream;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads content over {@code /ggen/fetch/1.0.0}: providers in order of reputation; a transfer
 * that breaks or stalls resumes from the bytes already received with the next provider; the
 * whole is verified against its CID before it enters the store. When the bytes do not verify, the
 * providers that contributed are tried again one at a time, so the one that sent wrong bytes is
 * found: it loses reputation, the honest ones gain, and nothing unverified is ever kept.
 */
public final class NetworkFetcher implements ContentFetcher {
    private static final Logger log = LoggerFactory.getLogger(NetworkFetcher.class);

    private final Host host;
    private final ContentStore store;
    private final Catalog catalog;
    private final Function<ContentId, List<PeerId>> providers;
    private final Duration stallTimeout;

    public NetworkFetcher(Host host, ContentStore store, Catalog catalog, Function<ContentId, List<PeerId>> providers, Duration stallTimeout) {
        this.host = host;
        this.store = store;
        this.catalog = catalog;
        this.providers = providers;
        this.stallTimeout = stallTimeout;
    }

    @Override
    public void fetch(ContentId cid, long expectedSize, LongConsumer progress) throws Exception {
        if (store.contains(cid)) return;
        List<PeerId> candidates = new ArrayList<>(new LinkedHashSet<>(providers.apply(cid)));
        candidates.remove(host.peerId());
        if (candidates.isEmpty()) throw new IOException("no provider of " + cid + " is known; is a node that has it online?");
        List<PeerId> contributors = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        try {
            if (attempt(cid, expectedSize, candidates, contributors, progress)) return;
            reasons.add("the bytes from " + contributors + " do not match the CID");
        } catch (IOException e) {
            reasons.add(e.getMessage());
        }
        if (contributors.isEmpty()) throw new IOException("no provider delivered " + cid + ": " + String.join("; ", reasons));
        // The bytes did not verify. Alone, each contributor shows whether it is the culprit.
        if (contributors.size() == 1) {
            catalog.recordRetrieval(contributors.get(0).toString(), false);
            candidates.remove(contributors.get(0));
        }
        for (PeerId p : List.copyOf(contributors.size() > 1 ? contributors : candidates)) {
            List<PeerId> alone = new ArrayList<>();
            try {
                if (attempt(cid, expectedSize, List.of(p), alone, progress)) {
                    for (PeerId c : contributors) if (!c.equals(p)) catalog.recordRetrieval(c.toString(), false);
                    return;
                }
                reasons.add(p + " sent bytes that do not match the CID");
            } catch (IOException e) {
                reasons.add(e.getMessage());
            }
            if (!alone.isEmpty()) catalog.recordRetrieval(p.toString(), false);
        }
        throw new IOException("no provider delivered " + cid + " with the right content (" + String.join("; ", reasons) + ")");
    }

    /** One download from the providers in turn; true when the content verified and is in the store. */
    private boolean attempt(ContentId cid, long expectedSize, List<PeerId> order, List<PeerId> contributors, LongConsumer progress) throws IOException {
        AtomicLong received = new AtomicLong();
        IOException[] last = new IOException[1];
        try (ContentStore.Staged staged = store.stage(out -> {
            for (PeerId p : order) {
                if (received.get() >= expectedSize && expectedSize > 0) break;
                long before = received.get();
                try {
                    download(p, cid, out, received, expectedSize, progress);
                    if (received.get() > before) contributors.add(p);
                    if (received.get() >= expectedSize) return;
                } catch (IOException e) {
                    if (received.get() > before) contributors.add(p);
                    log.info("fetch of {} from {} stopped at {} bytes: {}", cid, p, received.get(), e.getMessage());
                    catalog.recordRetrieval(p.toString(), false);
                    last[0] = e;
                }
            }
        })) {
            if (received.get() != expectedSize || !staged.id().equals(cid)) {
                if (received.get() < expectedSize && contributors.isEmpty()) throw last[0] != null ? last[0] : new IOException("no provider answered");
                return false;
            }
            staged.commit();
            for (PeerId p : contributors) catalog.recordRetrieval(p.toString(), true);
            return true;
        }
    }

    private void download(PeerId p, ContentId cid, OutputStream out, AtomicLong received, long expectedSize, LongConsumer progress) throws IOException {
        Stream s;
        try {
            s = host.newStream(p, List.of(FetchProtocol.ID)).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("cannot reach " + p + ": " + e.getMessage());
        }
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(200);
                    if (System.nanoTime() - lastProgress.get() > stallTimeout.toNanos()) {
                        s.reset(); // a stalled provider: its reader fails, the next provider takes over
                        return;
                    }
                }
            } catch (InterruptedException ignored) {
                // transfer finished
            }
        });
        try (s) {
            LengthPrefixed.write(s.out(), FetchProtocol.request(cid, received.get(), expectedSize - received.get()));
            s.closeWrite();
            FetchProtocol.Header h = FetchProtocol.readHeader(s.in());
            if (h.status() != FetchProtocol.OK) throw new IOException("provider answered status " + h.status() + " " + h.message());
            if (h.total() != expectedSize) throw new IOException("provider's content is " + h.total() + " bytes, the release says " + expectedSize);
            while (received.get() < expectedSize) {
                Optional<byte[]> chunk = LengthPrefixed.read(s.in(), FetchProtocol.CHUNK);
                if (chunk.isEmpty()) throw new IOException("provider closed at " + received.get() + " of " + expectedSize + " bytes");
                byte[] c = chunk.get();
                if (received.get() + c.length > expectedSize) throw new IOException("provider sent more than the content's size");
                out.write(c);
                received.addAndGet(c.length);
                lastProgress.set(System.nanoTime());
                progress.accept(received.get());
            }
        } finally {
            watchdog.interrupt();
        }
    }
}

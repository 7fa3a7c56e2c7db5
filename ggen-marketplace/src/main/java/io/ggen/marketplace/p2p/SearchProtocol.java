package io.ggen.marketplace.p2p;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.PeerReputation;
import io.ggen.marketplace.catalog.SearchHit;
import io.ggen.marketplace.catalog.SearchQuery;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.release.RecordException;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ggen/search/1.0.0}: asks a peer's catalog. One request per stream,
 * {1: text, 2: category, 3: repeated tag, 4: limit}; one answer, {1: repeated hit}, a hit being
 * {1: the signed release record, 2: repeated provider peer id (bytes)}, best match first.
 *
 * <p>Answers carry signed records rather than summaries, so the asking node believes nothing a
 * peer says about a package: every record goes through {@link ReleaseIntake} (signature,
 * ownership, immutability) and lands in the local catalog, where the ordinary local search ranks
 * and de-duplicates the merged result. Providers named in an answer are only hints: fetching
 * verifies the bytes against the CID, and a provider that fails loses reputation. A peer that
 * sends a record the intake refuses loses reputation and the rest of its answer is dropped.
 *
 * <p>Limits: request 4 KiB, at most {@link #MAX_HITS} hits and {@link #MAX_ANSWER} bytes per
 * answer, {@link #MAX_PROVIDERS_PER_HIT} provider hints per hit, and per peer
 * {@link #MAX_REQUESTS_PER_MINUTE} served requests a minute (more get an empty answer).
 */
public final class SearchProtocol {
    private static final Logger log = LoggerFactory.getLogger(SearchProtocol.class);
    public static final String ID = "/ggen/search/1.0.0";
    static final int MAX_REQUEST = 4096;
    public static final int MAX_HITS = 100;
    static final int MAX_ANSWER = 4 << 20;
    static final int MAX_PROVIDERS_PER_HIT = 8;
    static final int MAX_REQUESTS_PER_MINUTE = 60;
    static final int MAX_PEERS_REMEMBERED = 4096;

    /** A question to peers; the same filters as a local search. */
    public record Query(String text, String category, List<String> tags, int limit) {
        public Query {
            text = text == null ? "" : text;
            tags = tags == null ? List.of() : List.copyOf(tags);
            if (text.length() > SearchQuery.MAX_TEXT) throw new IllegalArgumentException("search text longer than " + SearchQuery.MAX_TEXT + " characters");
            if (tags.size() > 32) throw new IllegalArgumentException("at most 32 tags");
            limit = Math.max(1, Math.min(MAX_HITS, limit));
        }
    }

    /** What asking the network gave: peers asked and answering, and the releases new to this node. */
    public record Outcome(int peersAsked, int peersAnswered, Set<String> learned) {}

    private final Catalog catalog;
    private final ReleaseIntake intake;
    private final PeerRequestRate rate = new PeerRequestRate(MAX_REQUESTS_PER_MINUTE, MAX_PEERS_REMEMBERED);

    private final P2pTimeouts timeouts;

    public SearchProtocol(Catalog catalog, ReleaseIntake intake) {
        this(catalog, intake, P2pTimeouts.DEFAULT);
    }

    /** @param timeouts the serving side's deadlines (the asking side's come with each question) */
    public SearchProtocol(Catalog catalog, ReleaseIntake intake, P2pTimeouts timeouts) {
        this.catalog = catalog;
        this.intake = intake;
        this.timeouts = timeouts;
    }

    /** Answers one question from the local catalog; never throws for a bad request. */
    public void serve(Stream s) throws IOException {
        PeerId peer = s.connection().remotePeer();
        s.setReadDeadline(timeouts.requestDeadline());
        Optional<byte[]> req = LengthPrefixed.read(s.in(), MAX_REQUEST);
        if (req.isEmpty()) return;
        Query q;
        try {
            q = SearchCodec.decodeQuery(req.get());
        } catch (RecordException e) {
            s.reset();
            return;
        }
        List<byte[]> hits = new ArrayList<>();
        if (rate.admit(peer)) {
            try {
                hits = answer(q);
            } catch (MarketplaceException e) {
                hits = List.of(); // e.g. a query FTS cannot parse: nothing matches
            }
        }
        s.setWriteDeadline(timeouts.requestDeadline());
        LengthPrefixed.write(s.out(), SearchCodec.encodeAnswer(hits));
        s.closeWrite();
    }

    List<byte[]> answer(Query q) {
        List<byte[]> hits = new ArrayList<>();
        int bytes = 0;
        for (SearchHit h : catalog.search(new SearchQuery(q.text(), q.category(), q.tags(), null, null, null, q.limit(), 0, SearchQuery.Sort.RELEVANCE))) {
            Optional<SignedRecord> signed = catalog.signedRelease(h.id(), h.version());
            if (signed.isEmpty()) continue;
            List<byte[]> providers = new ArrayList<>();
            for (PeerReputation p : catalog.providers(h.cid())) {
                if (providers.size() >= MAX_PROVIDERS_PER_HIT) break;
                try {
                    providers.add(PeerId.fromString(p.peerId()).toBytes());
                } catch (RuntimeException ignored) {
                    // a damaged row is not worth a hint
                }
            }
            byte[] encoded = SearchCodec.encodeHit(new SearchCodec.Hit(signed.get().encode(), providers));
            if (bytes + encoded.length + 16 > MAX_ANSWER) break;
            bytes += encoded.length + 16;
            hits.add(encoded);
        }
        return hits;
    }

    /**
     * Asks up to {@code maxPeers} of {@code candidates} (best first) at once and folds their
     * verified answers into the local catalog.
     */
    public Outcome ask(Host host, List<PeerId> candidates, Query q, int maxPeers, Duration timeout) {
        List<PeerId> asked = candidates.stream().filter(p -> !p.equals(host.peerId())).distinct().limit(maxPeers).toList();
        Set<String> learned = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (PeerId p : asked) {
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            Thread.ofVirtual().name("search-ask").start(() -> {
                try {
                    f.complete(askOne(host, p, q, learned, timeout));
                } catch (RuntimeException e) {
                    f.complete(false);
                }
            });
            answers.add(f);
        }
        int answered = 0;
        long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        for (CompletableFuture<Boolean> f : answers) {
            try {
                if (f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) answered++;
            } catch (Exception e) {
                // slow peers are not waited for
            }
        }
        return new Outcome(asked.size(), answered, Set.copyOf(learned));
    }

    private boolean askOne(Host host, PeerId p, Query q, Set<String> learned, Duration timeout) {
        // One deadline for the whole exchange: a peer that does not answer in time is not waited for.
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        Stream s;
        try {
            s = host.newStream(p, List.of(ID)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return false;
        }
        s.setDeadline(deadline);
        boolean ok = false;
        try {
            LengthPrefixed.write(s.out(), SearchCodec.encodeQuery(q));
            s.closeWrite();
            byte[] answer = LengthPrefixed.read(s.in(), MAX_ANSWER).orElseThrow(() -> new IOException("closed before answering"));
            for (SearchCodec.Hit hit : SearchCodec.decodeAnswer(answer)) {
                byte[] record = hit.signedRecord();
                List<byte[]> providers = hit.providers();
                ReleaseIntake.Result res = intake.accept(record, null);
                if (res.outcome() == ReleaseIntake.Outcome.REJECTED) {
                    log.warn("search answer from {} carried a record refused ({}); dropping the rest", p, res.reason());
                    catalog.recordRetrieval(p.toString(), false);
                    return false;
                }
                if (res.outcome() == ReleaseIntake.Outcome.ACCEPTED) learned.add(res.coordinates());
                SignedRecord signed = SignedRecord.decode(record);
                if (!signed.type().equals(io.ggen.marketplace.release.ReleaseRecord.TYPE)) continue;
                String cid = signed.openRelease().cid().toString();
                for (byte[] idBytes : providers) {
                    try {
                        intake.addProvider(cid, PeerId.fromBytes(idBytes).toString(), MarketplaceNetwork.source(host, p));
                    } catch (RuntimeException ignored) {
                        // a malformed hint is ignored; the record itself verified
                    }
                }
                // The answering peer has the record; whether it has the archive, fetch will tell.
            }
            ok = true;
            return true;
        } catch (IOException | RecordException | IllegalArgumentException e) {
            log.debug("search of {} failed: {}", p, e.toString());
            return false;
        } finally {
            if (ok) s.close();
            else s.reset();
        }
    }
}

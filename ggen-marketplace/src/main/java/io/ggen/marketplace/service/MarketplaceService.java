package io.ggen.marketplace.service;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.archive.ArchiveContents;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.Ownership;
import io.ggen.marketplace.catalog.PeerReputation;
import io.ggen.marketplace.catalog.ReleaseRow;
import io.ggen.marketplace.catalog.SearchHit;
import io.ggen.marketplace.catalog.SearchQuery;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.content.ContentStore;
import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import io.ggen.marketplace.install.InstallSpec;
import io.ggen.marketplace.install.Installer;
import io.ggen.marketplace.keys.KeyStore;
import io.ggen.marketplace.p2p.MarketplaceNetwork;
import io.ggen.marketplace.p2p.P2pPublisher;
import io.ggen.marketplace.p2p.SearchProtocol;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.YankRecord;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The marketplace's use cases, as the node's API and the offline command line run them: publish
 * and announce, search with a network fallback, resolve and fetch (as jobs), yank, doctor. Each
 * takes a request record and returns a result record; a front end only maps them to its own
 * form (JSON, a table). With no {@link NetworkAccess} everything works on local data.
 */
public final class MarketplaceService {
    private static final Logger log = LoggerFactory.getLogger(MarketplaceService.class);
    /** Below this many local hits (or the limit, if smaller), a search also asks peers. */
    static final int FEW_LOCAL_HITS = 3;

    private final MarketplaceHome home;
    private final Catalog catalog;
    private final ContentStore store;
    private final Optional<NetworkAccess> network;
    private final FetchJobs jobs = new FetchJobs();
    private final ServiceMetrics metrics = new ServiceMetrics();

    public MarketplaceService(MarketplaceHome home, Catalog catalog, Optional<NetworkAccess> network) {
        this.home = home;
        this.catalog = catalog;
        this.store = home.store();
        this.network = network;
    }

    /** Counts and durations of publishes and installs. */
    public ServiceMetrics metrics() {
        return metrics;
    }

    public boolean online() {
        return network.isPresent();
    }

    // ---------------------------------------------------------------- publish

    /** Packs, signs, stores and catalogs the release; then, with a network, provides and announces it. */
    public PublishResult publish(PublishRequest req) {
        long started = System.nanoTime();
        ServiceMetrics.Outcome outcome = ServiceMetrics.Outcome.FAILED;
        try {
            PublishResult r = publishTimed(req);
            outcome = ServiceMetrics.Outcome.OK;
            return r;
        } finally {
            metrics.record(ServiceMetrics.Operation.PUBLISH, outcome, started);
        }
    }

    private PublishResult publishTimed(PublishRequest req) {
        Publisher.Published p = new Publisher(store, catalog).publish(req.path(), req.version(), req.skipVerify(), home.keys().load(req.key()), ArchiveLimits.DEFAULT);
        ReleaseRecord r = p.release();
        List<String> warnings = p.warnings().stream().map(Object::toString).toList();
        if (network.isEmpty()) {
            return new PublishResult(r.id(), r.version(), r.cid().toString(), r.size(), r.fingerprint(), p.alreadyPresent(), warnings, true, 0, 0, 0, List.of());
        }
        catalog.addProvider(r.cid().toString(), network.get().self().toString());
        P2pPublisher.Announced a = network.get().announce(p.signed());
        return new PublishResult(r.id(), r.version(), r.cid().toString(), r.size(), r.fingerprint(), p.alreadyPresent(), warnings, false,
                a.gossipPeers(), a.headStoredOn(), a.providerStoredOn(), a.problems());
    }

    // ---------------------------------------------------------------- search

    /**
     * Searches the local catalog; with a network, asks peers too when asked to or when the
     * catalog has few hits (it may lag behind). Peers' answers are verified records that join
     * the catalog, so one more local search ranks and de-duplicates the merged result.
     */
    public SearchResult search(SearchRequest req) {
        List<SearchResult.Hit> hits = searchLocal(req);
        if (network.isEmpty()) return new SearchResult(hits, 0, 0, true);
        if (!req.network() && hits.size() >= Math.min(req.limit(), FEW_LOCAL_HITS)) return new SearchResult(hits, 0, 0, false);
        SearchProtocol.Outcome out;
        try {
            out = network.get().searchPeers(new SearchProtocol.Query(req.query(), req.category(), req.tags(), req.limit()));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("query", e.getMessage());
        }
        if (!out.learned().isEmpty()) {
            hits = searchLocal(req).stream()
                    .map(h -> out.learned().contains(h.id() + "@" + h.version()) ? h.fromNetwork() : h)
                    .toList();
        }
        return new SearchResult(hits, out.peersAsked(), out.peersAnswered(), false);
    }

    /**
     * The catalog's hits with each one's archive size, its providers and their average
     * reputation; with a reputation floor, a hit stays when some provider (this node included)
     * reaches it.
     */
    private List<SearchResult.Hit> searchLocal(SearchRequest req) {
        // Ask for more than the limit: the reputation filter may drop some.
        int ask = Math.min(SearchQuery.MAX_LIMIT, req.minReputation() == null ? req.limit() : req.limit() * 4);
        List<SearchResult.Hit> out = new ArrayList<>();
        for (SearchHit h : catalog.search(new SearchQuery(req.query(), req.category(), req.tags(), null, null, null, ask, 0, SearchQuery.Sort.RELEVANCE))) {
            String cid = h.cid();
            List<PeerReputation> providers = cid.isEmpty() ? List.of() : catalog.providers(cid);
            double avg = providers.stream().mapToDouble(PeerReputation::reputation).average().orElse(0.0);
            double best = providers.stream().mapToDouble(PeerReputation::reputation).max().orElse(0.0);
            if (req.minReputation() != null && best < req.minReputation()) continue;
            out.add(new SearchResult.Hit(h.id(), h.version(), h.name(), h.description(), cid, h.size(),
                    h.publisher(), providers.size(), avg, h.score(), "local"));
            if (out.size() >= req.limit()) break;
        }
        return out;
    }

    /** A search of the local catalog alone, as {@code ggen marketplace search} asks it (no providers, no peers). */
    public List<SearchHit> searchCatalog(SearchQuery q) {
        return catalog.search(q);
    }

    /** Every release of {@code id} the catalog holds (yanked ones included), and the id's owner, as {@code ggen marketplace info} shows them. */
    public CatalogEntry catalogEntry(String id) {
        return new CatalogEntry(catalog.releases(id), catalog.ownerOf(id));
    }

    /** The catalog's rows of one package id and its owner, if any. */
    public record CatalogEntry(List<ReleaseRow> releases, Optional<Ownership> owner) {}

    // ---------------------------------------------------------------- package page

    /** A readme longer than this is cut for display. */
    public static final int MAX_README_BYTES = 256 * 1024;
    private static final int CONTENTS_CACHED = 32;
    /** What is inside archives already read (they are immutable by CID), least recently used first. */
    private final Map<ContentId, ArchiveContents.Contents> contents = new LinkedHashMap<>(CONTENTS_CACHED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ContentId, ArchiveContents.Contents> eldest) {
            return size() > CONTENTS_CACHED;
        }
    };

    /**
     * A package as its page shows it: {@code version} (null: the newest that is not yanked, or the
     * newest of all when every one is) with what the catalog and the store know of it. Local
     * data only: a package this node has not heard of is NOT_FOUND.
     */
    public PackageInfo packageInfo(String id, String version) {
        List<ReleaseRow> rows = new ArrayList<>(catalog.releases(id));
        if (rows.isEmpty()) throw new MarketplaceException(Kind.NOT_FOUND, "no package " + id + " in this node's catalog");
        rows.sort(Comparator.comparing((ReleaseRow r) -> r.record().parsedVersion()).reversed());
        ReleaseRow shown;
        if (version == null || version.isEmpty()) {
            shown = rows.stream().filter(r -> !r.yanked()).findFirst().orElse(rows.get(0));
        } else {
            shown = rows.stream().filter(r -> r.record().version().equals(version)).findFirst()
                    .orElseThrow(() -> new MarketplaceException(Kind.NOT_FOUND, "no version " + version + " of " + id + " in this node's catalog"));
        }
        ReleaseRecord r = shown.record();
        Optional<Ownership> owner = catalog.ownerOf(id);
        String trust = owner.map(o -> o.how().equals(Ownership.PINNED) ? "pinned" : "tofu").orElse("none");
        PackageInfo.Publisher publisher = new PackageInfo.Publisher(r.fingerprint(), trust, owner.map(Ownership::fingerprint).orElse(""),
                owner.map(o -> Instant.ofEpochMilli(o.sinceMillis()).toString()).orElse(""));
        List<PackageInfo.VersionRow> versions = rows.stream().map(row -> new PackageInfo.VersionRow(row.record().version(), row.record().cid().toString(),
                row.record().size(), Instant.ofEpochMilli(row.record().publishedAtMillis()).toString(), row.yanked(),
                row.yankReason() == null ? "" : row.yankReason())).toList();
        String self = network.map(n -> n.self().toString()).orElse("");
        List<PackageInfo.Provider> providers = catalog.providers(r.cid().toString()).stream()
                .map(p -> new PackageInfo.Provider(p.peerId(), p.reputation(), p.successful(), p.failed(), p.peerId().equals(self)))
                .sorted(Comparator.comparing(PackageInfo.Provider::self).reversed()
                        .thenComparing(Comparator.comparingDouble(PackageInfo.Provider::reputation).reversed()))
                .toList();
        Optional<ArchiveContents.Contents> inside = contentsOf(r.cid());
        List<PackageInfo.FileRow> files = inside.map(c -> c.files().stream().map(f -> new PackageInfo.FileRow(f.path(), f.size())).toList()).orElse(List.of());
        Optional<Map.Entry<String, ArchiveContents.Text>> readme = inside.flatMap(c -> c.texts().entrySet().stream()
                .min(Comparator.comparing((Map.Entry<String, ArchiveContents.Text> e) -> readmeRank(e.getKey()))));
        String install = "ggen marketplace p2p install " + r.id() + "@" + r.version();
        return new PackageInfo(r.id(), r.name(), r.version(), r.description(), r.license(), r.ggenCompat(), r.authors(), r.keywords(), r.categories(),
                r.tags(), r.homepage() == null ? "" : r.homepage(), r.repository() == null ? "" : r.repository(), publisher, r.dependencies(), versions,
                providers, inside.isPresent(), files, inside.map(ArchiveContents.Contents::fileCount).orElse(0),
                inside.map(ArchiveContents.Contents::totalBytes).orElse(0L), readme.map(e -> e.getValue().text()).orElse(""),
                readme.map(Map.Entry::getKey).orElse(""), readme.map(e -> e.getValue().truncated()).orElse(false), install);
    }

    /** Root-level readme files, the Markdown one first. */
    static boolean isReadme(String path) {
        return !path.contains("/") && path.toLowerCase(Locale.ROOT).startsWith("readme");
    }

    private static int readmeRank(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        if (p.equals("readme.md")) return 0;
        if (p.endsWith(".md") || p.endsWith(".markdown")) return 1;
        if (p.equals("readme") || p.endsWith(".txt")) return 2;
        return 3;
    }

    /** The archive's listing and readme, when the archive is in the store (read once per CID, then cached). */
    private Optional<ArchiveContents.Contents> contentsOf(ContentId cid) {
        synchronized (contents) {
            ArchiveContents.Contents c = contents.get(cid);
            if (c != null) return Optional.of(c);
        }
        if (!store.contains(cid)) return Optional.empty();
        ArchiveContents.Contents read;
        try (InputStream in = store.open(cid)) {
            read = ArchiveContents.read(in, ArchiveLimits.DEFAULT, MarketplaceService::isReadme, MAX_README_BYTES);
        } catch (IOException | MarketplaceException e) {
            log.warn("cannot list archive {}: {}", cid, e.getMessage());
            return Optional.empty();
        }
        synchronized (contents) {
            contents.put(cid, read);
        }
        return Optional.of(read);
    }

    // ---------------------------------------------------------------- fetch

    /**
     * What installing {@code spec} would take: the package and its dependencies, resolved after
     * refreshing the package from the network, each with whether its archive is already in the
     * store. Nothing is fetched or written.
     */
    public InstallPlan plan(String spec) {
        List<ReleaseRecord> needed = resolve(spec);
        return new InstallPlan(needed.stream()
                .map(r -> new InstallPlan.Step(r.id(), r.version(), r.cid().toString(), r.size(), r.fingerprint(), store.contains(r.cid())))
                .toList());
    }

    /**
     * Resolves {@code spec} (a package and its dependencies, refreshed from the network first)
     * and starts a job that brings every archive the store lacks into it, verified.
     */
    public FetchJob startFetch(String spec) {
        List<ReleaseRecord> needed = resolve(spec);
        long total = 0;
        for (ReleaseRecord r : needed) if (!store.contains(r.cid())) total = Math.addExact(total, r.size());
        FetchJobs.Job job = jobs.create(needed, total)
                .orElseThrow(() -> new TooBusyException("too many downloads at once; retry when one has finished"));
        Thread.ofVirtual().name("ggen-fetch-" + job.id).start(() -> runFetch(job));
        return job.view();
    }

    private List<ReleaseRecord> resolve(String spec) {
        InstallSpec parsed;
        try {
            parsed = InstallSpec.parse(spec == null ? "" : spec);
        } catch (MarketplaceException e) {
            throw new InvalidRequestException("spec", e.getMessage());
        }
        if (network.isPresent()) {
            MarketplaceNetwork.PackageRefresh r = network.get().refresh(parsed.id());
            if (!r.learned().isEmpty()) log.info("install {}: learned {} from peers (DHT head versions {})", parsed, r.learned(), r.headVersions());
        }
        return new ArrayList<>(new Installer(store, catalog, ArchiveLimits.DEFAULT).resolve(parsed).values());
    }

    public Optional<FetchJob> fetchJob(String id) {
        return jobs.get(id).map(FetchJobs.Job::view);
    }

    /**
     * Stops a download (its client went away, or the user pressed Ctrl-C): the job ends at the
     * next chunk with the error {@value #CANCELLED}, what was staged is dropped, and no provider
     * is blamed. Empty when there is no such job.
     */
    public Optional<FetchJob> cancelFetch(String id) {
        Optional<FetchJobs.Job> job = jobs.get(id);
        job.ifPresent(FetchJobs.Job::cancel);
        return job.map(FetchJobs.Job::view);
    }

    /** The error of a job that was cancelled. */
    public static final String CANCELLED = "cancelled";

    /** Thrown from a download's progress callback to stop it; the fetcher blames no provider for it. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super(CANCELLED, null, false, false);
        }
    }

    private void runFetch(FetchJobs.Job job) {
        long started = System.nanoTime();
        String error = "";
        try {
            long before = 0;
            for (ReleaseRecord r : job.releases) {
                if (job.cancelled()) throw new Cancelled();
                if (store.contains(r.cid())) continue;
                if (network.isEmpty()) throw new MarketplaceException(Kind.NOT_FOUND, r.coordinates() + " is not in the local store and this node cannot fetch from the network");
                long base = before;
                network.get().fetch(r.cid(), r.size(), done -> {
                    if (job.cancelled()) throw new Cancelled();
                    job.bytesDone.set(base + Math.min(done, r.size()));
                }, job::note);
                before += r.size();
                job.bytesDone.set(before);
                // What we fetched we serve: providing it lets installers find this node as well.
                catalog.addProvider(r.cid().toString(), network.get().self().toString());
                network.get().provide(r.cid());
                job.fetched(r.coordinates());
            }
        } catch (Exception e) {
            if (job.cancelled()) {
                log.info("fetch job {} cancelled after {} bytes", job.id, job.bytesDone.get());
                error = CANCELLED;
            } else {
                log.warn("fetch job {} failed", job.id, e);
                error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        } finally {
            job.finish(error);
            metrics.record(ServiceMetrics.Operation.INSTALL, error.isEmpty() ? ServiceMetrics.Outcome.OK
                    : error.equals(CANCELLED) ? ServiceMetrics.Outcome.CANCELLED : ServiceMetrics.Outcome.FAILED, started);
        }
    }

    // ---------------------------------------------------------------- yank

    /**
     * Signs a yank of {@code id@version} with the owner's key ({@code keyName}, or the user's key
     * that owns the package) and records it; with a network, gossips it and puts the package head
     * that marks it. Yanking a yanked release announces the stored yank again.
     */
    public YankResult yank(String coordinates, String reason, String keyName) {
        return yank(new YankRequest(coordinates, reason, keyName));
    }

    public YankResult yank(YankRequest req) {
        String id = req.id();
        Ownership owner = catalog.ownerOf(id).orElseThrow(() -> new MarketplaceException(Kind.NOT_FOUND, "no package " + id + " in the catalog"));
        KeyStore keys = home.keys();
        String name = req.key() != null ? req.key() : keys.list().stream().filter(k -> k.fingerprint().equals(owner.fingerprint())).map(KeyStore.KeyInfo::name)
                .findFirst().orElseThrow(() -> new MarketplaceException(Kind.VERIFICATION, id + " belongs to key " + owner.fingerprint()
                        + ", and none of your keys (ggen marketplace key list) is that key; only the owner can yank"));
        Publisher.Yanked yanked = new Publisher(store, catalog).yank(id, req.version(), req.reason(), keys.load(name));
        YankRecord y = yanked.record();
        if (network.isEmpty()) {
            return new YankResult(y.id(), y.version(), y.cid().toString(), y.reason(), owner.fingerprint(), yanked.alreadyYanked(), true, 0, 0, List.of());
        }
        P2pPublisher.Announced a = network.get().announceYank(yanked.signed());
        return new YankResult(y.id(), y.version(), y.cid().toString(), y.reason(), owner.fingerprint(), yanked.alreadyYanked(), false,
                a.gossipPeers(), a.headStoredOn(), a.problems());
    }

    // ---------------------------------------------------------------- doctor

    /**
     * Files in the store untouched this long are leftovers of a crash or an interrupted transfer;
     * younger ones may be live work (a download, a publish under way) and are never touched.
     */
    public static final Duration LEFTOVER_AGE = Duration.ofHours(1);

    /**
     * Checks the catalog database and search index, every stored object against its CID (a
     * corrupt one is quarantined), and that the archive of every release published with one of
     * this user's keys is present (releases learned from the network are fetched only when
     * installed, so their absence is normal). With {@code fix}: rebuilds the index, removes
     * unreferenced objects and temp files untouched for {@link #LEFTOVER_AGE}; younger files may
     * be live work and are left alone.
     */
    public DoctorReport doctor(boolean fix) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int objects = 0;
        if (!catalog.databaseIntact()) problems.add("catalog database fails its integrity check");
        if (!catalog.indexIntact()) {
            if (fix) {
                catalog.rebuildIndex();
                notes.add("rebuilt the search index");
            } else {
                problems.add("search index is out of step with the catalog (a repair rebuilds it)");
            }
        }
        Set<String> referenced = new HashSet<>(catalog.allCids());
        long releases = catalog.releaseCount();
        for (ContentId id : store.list()) {
            objects++;
            if (!store.verify(id)) {
                problems.add("object " + id + " is corrupt; quarantined");
                continue;
            }
            if (!referenced.contains(id.toString()) && store.olderThan(id, LEFTOVER_AGE)) {
                if (fix) {
                    store.delete(id);
                    notes.add("removed unreferenced object " + id);
                } else {
                    notes.add("unreferenced object " + id + " (left by an interrupted publish; a repair removes it)");
                }
            }
        }
        Set<String> mine = new HashSet<>();
        for (KeyStore.KeyInfo k : home.keys().list()) mine.add(k.fingerprint());
        for (String cid : catalog.cidsPublishedBy(mine)) {
            if (!store.contains(ContentId.parse(cid))) problems.add("the archive " + cid + " of a release published with your key is missing from the store; publish it again");
        }
        ContentStore.TempFiles stale = fix ? store.cleanTemp(LEFTOVER_AGE) : store.staleTemp(LEFTOVER_AGE);
        if (stale.count() > 0) {
            String what = stale.count() + " leftover temp file" + (stale.count() == 1 ? "" : "s") + " (" + sizeText(stale.bytes())
                    + ", partial downloads or publishes untouched for " + LEFTOVER_AGE.toHours() + " h or more)";
            notes.add(fix ? "removed " + what : what + "; a repair removes them");
        }
        return new DoctorReport(problems.isEmpty(), objects, releases, problems, notes);
    }

    private static String sizeText(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}

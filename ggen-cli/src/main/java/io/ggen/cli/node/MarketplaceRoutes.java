package io.ggen.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.api.ApiServer;
import io.ggen.cli.api.ApiServer.ApiError;
import io.ggen.cli.api.ApiServer.Response;
import io.ggen.cli.p2p.P2pPublishCommand;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.content.ContentStore;
import io.ggen.marketplace.install.InstallSpec;
import io.ggen.marketplace.install.Installer;
import io.ggen.marketplace.p2p.ContentFetcher;
import io.ggen.marketplace.p2p.P2pPublisher;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.p2p.crypto.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API's marketplace endpoints: publish (local store and catalog, then the network),
 * search (local catalog, then peers), and fetch jobs that bring a release and its dependencies
 * into the store for the CLI's install.
 */
final class MarketplaceRoutes {
    private static final Logger log = LoggerFactory.getLogger(MarketplaceRoutes.class);

    /** Asks peers' catalogs; what they answer (verified) joins the local catalog. */
    interface NetworkSearch {
        io.ggen.marketplace.p2p.SearchProtocol.Outcome ask(io.ggen.marketplace.p2p.SearchProtocol.Query q);

        /** Before an install: the package's DHT head, and peers' records for versions the catalog lacks. */
        default io.ggen.marketplace.p2p.MarketplaceNetwork.PackageRefresh refresh(String id) {
            return new io.ggen.marketplace.p2p.MarketplaceNetwork.PackageRefresh(false, List.of(), List.of(), java.util.Set.of());
        }
    }

    private final MarketplaceHome home;
    private final Catalog catalog;
    private final ContentStore store;
    private final PeerId self;
    private final Optional<P2pPublisher> publisher;
    private final Optional<ContentFetcher> fetcher;
    private final Optional<NetworkSearch> networkSearch;
    private final FetchJobs jobs = new FetchJobs();
    private volatile java.util.function.Consumer<io.ggen.marketplace.content.ContentId> onFetched = cid -> { };

    /** Called with each archive fetched into the store (the node then provides it in the DHT). */
    void onFetched(java.util.function.Consumer<io.ggen.marketplace.content.ContentId> hook) {
        onFetched = hook;
    }

    MarketplaceRoutes(MarketplaceHome home, Catalog catalog, PeerId self, Optional<P2pPublisher> publisher, Optional<ContentFetcher> fetcher,
                      Optional<NetworkSearch> networkSearch) {
        this.home = home;
        this.catalog = catalog;
        this.store = home.store();
        this.self = self;
        this.publisher = publisher;
        this.fetcher = fetcher;
        this.networkSearch = networkSearch;
    }

    void register(ApiServer api) {
        api.route("POST", "/v1/publish", false, req -> Response.ok(publish(req.body())));
        api.route("POST", "/v1/search", false, req -> Response.ok(search(req.body())));
        api.route("POST", "/v1/fetch", false, req -> Response.ok(startFetch(req.body())));
        api.route("GET", "/v1/fetch/", true, req -> Response.ok(jobs.get(req.path()).orElseThrow(() -> new ApiError(404, "no fetch job " + req.path())).json()));
    }

    private ObjectNode publish(JsonNode body) {
        String path = body.path("path").asText("");
        if (path.isEmpty() || !Path.of(path).isAbsolute()) throw new ApiError(400, "\"path\" must be the absolute path of a pack directory");
        if (!Files.isDirectory(Path.of(path))) throw new ApiError(400, path + ": not a directory");
        String version = body.hasNonNull("version") ? body.get("version").asText() : null;
        String key = body.path("key").asText("default");
        Publisher.Published p;
        try {
            p = new Publisher(store, catalog).publish(Path.of(path), version, body.path("skip_verify").asBoolean(false), home.keys().load(key), ArchiveLimits.DEFAULT);
        } catch (MarketplaceException e) {
            throw new ApiError(e.kind() == MarketplaceException.Kind.USAGE ? 400 : 422, e.getMessage());
        }
        catalog.addProvider(p.release().cid().toString(), self.toString());
        ObjectNode o = P2pPublishCommand.describe(p);
        o.put("offline", false);
        if (publisher.isPresent()) {
            P2pPublisher.Announced a = publisher.get().announce(p.signed());
            o.put("announced_to", a.gossipPeers());
            o.put("head_stored_on", a.headStoredOn());
            o.put("provider_stored_on", a.providerStoredOn());
            ArrayNode problems = o.putArray("problems");
            a.problems().forEach(problems::add);
        } else {
            o.put("announced_to", 0);
            o.put("head_stored_on", 0);
            o.put("provider_stored_on", 0);
            o.putArray("problems").add("this node has no DHT or gossip; the release stays local");
        }
        return o;
    }

    private ObjectNode search(JsonNode body) {
        String text = body.path("query").asText("");
        if (text.length() > 512) throw new ApiError(400, "query longer than 512 characters");
        String category = body.hasNonNull("category") ? body.get("category").asText() : null;
        List<String> tags = new ArrayList<>();
        body.path("tags").forEach(t -> tags.add(t.asText()));
        if (tags.size() > 32) throw new ApiError(400, "at most 32 tags");
        int limit = body.path("limit").asInt(20);
        if (limit < 1 || limit > 1000) throw new ApiError(400, "limit must be between 1 and 1000");
        Double minRep = body.hasNonNull("min_reputation") ? body.get("min_reputation").asDouble() : null;
        ArrayNode results;
        try {
            results = LocalSearch.search(catalog, text, category, tags, limit, minRep);
        } catch (MarketplaceException e) {
            throw new ApiError(400, e.getMessage());
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        int asked = 0;
        int answered = 0;
        // Few local hits: the catalog may lag behind; ask peers as --network would. Their
        // answers are verified records that join the local catalog, so one local search ranks
        // and de-duplicates the merged result.
        if (networkSearch.isPresent() && (body.path("network").asBoolean(false) || results.size() < Math.min(limit, 3))) {
            io.ggen.marketplace.p2p.SearchProtocol.Outcome out;
            try {
                out = networkSearch.get().ask(new io.ggen.marketplace.p2p.SearchProtocol.Query(text, category, tags, limit));
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, e.getMessage());
            }
            asked = out.peersAsked();
            answered = out.peersAnswered();
            if (!out.learned().isEmpty()) {
                results = LocalSearch.search(catalog, text, category, tags, limit, minRep);
                for (JsonNode r : results) {
                    if (out.learned().contains(r.path("id").asText() + "@" + r.path("version").asText())) ((ObjectNode) r).put("source", "network");
                }
            }
        }
        o.set("results", results);
        o.put("peers_asked", asked);
        o.put("peers_answered", answered);
        o.put("offline", false);
        return o;
    }

    private ObjectNode startFetch(JsonNode body) {
        InstallSpec spec;
        try {
            spec = InstallSpec.parse(body.path("spec").asText(""));
        } catch (MarketplaceException e) {
            throw new ApiError(400, e.getMessage());
        }
        if (networkSearch.isPresent()) {
            io.ggen.marketplace.p2p.MarketplaceNetwork.PackageRefresh r = networkSearch.get().refresh(spec.id());
            if (!r.learned().isEmpty()) log.info("install {}: learned {} from peers (DHT head versions {})", spec, r.learned(), r.headVersions());
        }
        List<ReleaseRecord> needed;
        try {
            needed = new ArrayList<>(new Installer(store, catalog, ArchiveLimits.DEFAULT).resolve(spec).values());
        } catch (MarketplaceException e) {
            throw new ApiError(e.kind() == MarketplaceException.Kind.NOT_FOUND ? 404 : 422, e.getMessage());
        }
        FetchJobs.Job job = jobs.create();
        if (job == null) throw new ApiError(503, "too many downloads at once; retry when one has finished");
        job.releases.addAll(needed);
        long total = 0;
        for (ReleaseRecord r : needed) if (!store.contains(r.cid())) total = Math.addExact(total, r.size());
        job.bytesTotal = total;
        Thread.ofVirtual().name("ggen-fetch-" + job.id).start(() -> runFetch(job));
        return job.json();
    }

    private void runFetch(FetchJobs.Job job) {
        try {
            long before = 0;
            for (ReleaseRecord r : job.releases) {
                if (store.contains(r.cid())) continue;
                if (fetcher.isEmpty()) throw new IllegalStateException(r.coordinates() + " is not in the local store and this node cannot fetch from the network");
                long base = before;
                fetcher.get().fetch(r.cid(), r.size(), done -> job.bytesDone.set(base + Math.min(done, r.size())));
                before += r.size();
                job.bytesDone.set(before);
                catalog.addProvider(r.cid().toString(), self.toString());
                onFetched.accept(r.cid());
                synchronized (job) {
                    job.fetched.add(r.coordinates());
                }
            }
        } catch (Exception e) {
            log.warn("fetch job {} failed", job.id, e);
            job.error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } finally {
            job.done = true;
        }
    }
}

package io.ggen.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.marketplace.catalog.SearchQuery;
import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.marketplace.install.InstallSpec;
import io.ggen.marketplace.service.MarketplaceService;
import io.ggen.marketplace.service.PublishRequest;
import io.ggen.marketplace.service.PublishResult;
import io.ggen.marketplace.service.SearchRequest;
import io.ggen.marketplace.service.SearchResult;
import io.ggen.marketplace.service.YankRequest;
import io.ggen.node.api.ApiServer;
import io.ggen.node.api.ApiServer.ApiError;
import io.ggen.node.api.ApiServer.Response;
import io.ggen.node.render.CatalogText;
import io.ggen.node.render.MarketplaceText;
import io.ggen.node.render.OutputFormat;
import io.ggen.node.render.PeerText;
import io.ggen.node.render.StatusText;
import io.ggen.p2p.crypto.PeerId;
import java.io.IOException;

/**
 * The control API's routes: each reads its request record from the body, calls the node or the
 * marketplace's use cases, and answers with the result record. No logic of its own beyond that
 * mapping; rules on requests live in the request records.
 */
final class NodeRoutes {
    /** The body of {@code POST /v1/fetch} and {@code /v1/resolve}: a package spec such as {@code id@^1.2}. */
    record FetchRequest(String spec) {}

    /** The answer of {@code POST /v1/stop}. */
    record Stopping(boolean stopping, long pid) {}

    /**
     * The body of {@code POST /v1/catalog/search}: {@code ggen marketplace search}'s options
     * (null limit: 20, null sort: relevance).
     */
    record CatalogSearch(String query, String category, java.util.List<String> tags, String keyword, String author, String license,
                         Integer limit, Integer offset, String sort) {
        SearchQuery toQuery() {
            SearchQuery.Sort order;
            try {
                order = sort == null ? SearchQuery.Sort.RELEVANCE : SearchQuery.Sort.valueOf(sort.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("sort", "must be relevance, name or updated, got " + sort);
            }
            return new SearchQuery(query == null ? "" : query, category, tags, keyword, author, license, limit == null ? 20 : limit,
                    offset == null ? 0 : offset, order);
        }
    }

    private final Node node;
    private final MarketplaceService marketplace;

    NodeRoutes(Node node, MarketplaceService marketplace) {
        this.node = node;
        this.marketplace = marketplace;
    }

    void register(ApiServer api) {
        api.route("GET", "/v1/status", false, req -> {
            OutputFormat f = render(req);
            if (f == null) return Response.ok(node.status());
            return Response.text(StatusText.render(asClientSees(api, node.status()), f));
        });
        api.route("GET", "/v1/peers", false, req -> {
            boolean verbose = Boolean.parseBoolean(req.query().getOrDefault("verbose", "false"));
            var peers = node.peers(verbose);
            PeerView.PeerList list = new PeerView.PeerList(peers, peers.size());
            OutputFormat f = render(req);
            if (f == null) return Response.ok(list);
            return Response.text(PeerText.list(asClientSees(api, list), verbose, minReputation(req), f));
        });
        api.route("GET", "/v1/peers/", true, req -> {
            PeerId id;
            try {
                id = PeerId.fromString(req.path());
            } catch (RuntimeException e) {
                throw new ApiError(400, "'" + req.path() + "' is not a peer id (expected base58 like 12D3KooW... or a CID)");
            }
            var peer = node.peer(id, true).orElseThrow(() -> new ApiError(404, "this node knows nothing of peer " + id));
            OutputFormat f = render(req);
            if (f == null) return Response.ok(peer);
            return Response.text(PeerText.info(asClientSees(api, peer), Boolean.parseBoolean(req.query().getOrDefault("full", "false")), f));
        });
        api.route("GET", "/v1/dht/routing-table", false, req -> Response.ok(node.routingTable()));
        api.route("GET", "/v1/packages/", true, req -> {
            if (req.path().isEmpty() || req.path().length() > 256) throw new ApiError(400, "a package id is 1 to 256 characters: /v1/packages/<id>");
            return Response.ok(marketplace.packageInfo(req.path(), req.query().get("version")));
        });
        api.route("POST", "/v1/bootstrap", false, req -> Response.ok(node.bootstrap(api.read(req.body(), BootstrapRequest.class))));
        api.route("POST", "/v1/stop", false, req -> {
            node.requestStop();
            return new Response(202, new Stopping(true, ProcessHandle.current().pid()));
        });
        api.route("POST", "/v1/publish", false, req -> {
            OutputFormat f = render(req);
            PublishResult r = marketplace.publish(api.read(req.body(), PublishRequest.class));
            return f == null ? Response.ok(r) : Response.text(MarketplaceText.publish(asClientSees(api, r), f));
        });
        api.route("POST", "/v1/yank", false, req -> Response.ok(marketplace.yank(api.read(req.body(), YankRequest.class))));
        api.route("POST", "/v1/search", false, req -> {
            OutputFormat f = render(req);
            SearchRequest q = api.read(req.body(), SearchRequest.class);
            long started = System.nanoTime();
            SearchResult r = marketplace.search(q);
            if (f == null) return Response.ok(r);
            return Response.text(MarketplaceText.search(asClientSees(api, r), q.query(), (System.nanoTime() - started) / 1e6, f));
        });
        // `ggen marketplace search` and `info`: the local catalog, rendered as those commands print it.
        api.route("POST", "/v1/catalog/search", false, req -> {
            CatalogSearch q = api.read(req.body(), CatalogSearch.class);
            SearchQuery query = q.toQuery();
            return Response.text(CatalogText.search(q.query() == null ? "" : q.query(), query.offset(), query.limit(), marketplace.searchCatalog(query), renderOrJson(req)));
        });
        api.route("GET", "/v1/catalog/info", false, req -> {
            String spec = req.query().getOrDefault("spec", "");
            if (spec.isEmpty() || spec.length() > 512) throw new InvalidRequestException("spec", "must be a package id with an optional range, 1 to 512 characters");
            InstallSpec s = InstallSpec.parse(spec);
            MarketplaceService.CatalogEntry e = marketplace.catalogEntry(s.id());
            return Response.text(CatalogText.info(s, e.releases(), e.owner(), renderOrJson(req)));
        });
        api.route("POST", "/v1/resolve", false, req -> Response.ok(marketplace.plan(api.read(req.body(), FetchRequest.class).spec())));
        api.route("POST", "/v1/fetch", false, req -> Response.ok(marketplace.startFetch(api.read(req.body(), FetchRequest.class).spec())));
        api.route("DELETE", "/v1/fetch/", true, req -> Response.ok(marketplace.cancelFetch(req.path()).orElseThrow(() -> new ApiError(404, "no fetch job " + req.path()))));
        api.route("GET", "/v1/fetch/", true, req -> Response.ok(marketplace.fetchJob(req.path()).orElseThrow(() -> new ApiError(404, "no fetch job " + req.path()))));
    }

    /**
     * The output format a CLI command asked the node to render its answer in ({@code ?render=}),
     * or null for the JSON record. The CLI prints the text as it comes: it never parses JSON,
     * which keeps jackson-databind (a third of a short command's classes) out of it.
     */
    private static OutputFormat render(ApiServer.Request req) {
        String render = req.query().get("render");
        if (render == null) return null;
        try {
            return OutputFormat.valueOf(render);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "render must be table, json or yaml");
        }
    }

    private static OutputFormat renderOrJson(ApiServer.Request req) {
        OutputFormat f = render(req);
        return f == null ? OutputFormat.json : f;
    }

    /** peer-list's {@code --min-reputation}, as {@code ?min_reputation=}. */
    private static Double minReputation(ApiServer.Request req) {
        String v = req.query().get("min_reputation");
        if (v == null) return null;
        try {
            double d = Double.parseDouble(v);
            if (d >= 0.0 && d <= 1.0) return d;
        } catch (NumberFormatException e) {
            // answered below, as any other value out of range
        }
        throw new InvalidRequestException("min_reputation", "must be a number from 0.0 to 1.0, got " + v);
    }

    /**
     * A result as the CLI would see it over the API: written as the API writes it and read back,
     * so the rendered text is what the CLI printed when it rendered the JSON itself.
     */
    private static JsonNode asClientSees(ApiServer api, Object result) throws IOException {
        return api.json().readTree(api.json().writeValueAsBytes(result));
    }
}

package io.ggen.node;

import io.ggen.marketplace.service.MarketplaceService;
import io.ggen.marketplace.service.PublishRequest;
import io.ggen.marketplace.service.SearchRequest;
import io.ggen.marketplace.service.YankRequest;
import io.ggen.node.api.ApiServer;
import io.ggen.node.api.ApiServer.ApiError;
import io.ggen.node.api.ApiServer.Response;
import io.ggen.node.render.OutputFormat;
import io.ggen.node.render.StatusText;
import io.ggen.p2p.crypto.PeerId;

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

    private final Node node;
    private final MarketplaceService marketplace;

    NodeRoutes(Node node, MarketplaceService marketplace) {
        this.node = node;
        this.marketplace = marketplace;
    }

    void register(ApiServer api) {
        api.route("GET", "/v1/status", false, req -> {
            String render = req.query().get("render");
            if (render == null) return Response.ok(node.status());
            // The CLI's status asks for its output ready to print (see StatusText).
            OutputFormat f;
            try {
                f = OutputFormat.valueOf(render);
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "render must be table, json or yaml");
            }
            return Response.text(StatusText.render(api.json().valueToTree(node.status()), f));
        });
        api.route("GET", "/v1/peers", false, req -> {
            var peers = node.peers(Boolean.parseBoolean(req.query().getOrDefault("verbose", "false")));
            return Response.ok(new PeerView.PeerList(peers, peers.size()));
        });
        api.route("GET", "/v1/peers/", true, req -> {
            PeerId id;
            try {
                id = PeerId.fromString(req.path());
            } catch (RuntimeException e) {
                throw new ApiError(400, "'" + req.path() + "' is not a peer id (expected base58 like 12D3KooW... or a CID)");
            }
            return Response.ok(node.peer(id, true).orElseThrow(() -> new ApiError(404, "this node knows nothing of peer " + id)));
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
        api.route("POST", "/v1/publish", false, req -> Response.ok(marketplace.publish(api.read(req.body(), PublishRequest.class))));
        api.route("POST", "/v1/yank", false, req -> Response.ok(marketplace.yank(api.read(req.body(), YankRequest.class))));
        api.route("POST", "/v1/search", false, req -> Response.ok(marketplace.search(api.read(req.body(), SearchRequest.class))));
        api.route("POST", "/v1/resolve", false, req -> Response.ok(marketplace.plan(api.read(req.body(), FetchRequest.class).spec())));
        api.route("POST", "/v1/fetch", false, req -> Response.ok(marketplace.startFetch(api.read(req.body(), FetchRequest.class).spec())));
        api.route("DELETE", "/v1/fetch/", true, req -> Response.ok(marketplace.cancelFetch(req.path()).orElseThrow(() -> new ApiError(404, "no fetch job " + req.path()))));
        api.route("GET", "/v1/fetch/", true, req -> Response.ok(marketplace.fetchJob(req.path()).orElseThrow(() -> new ApiError(404, "no fetch job " + req.path()))));
    }
}

package io.ggen.node.ui;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The web UI's files, shipped in the jar (built from {@code webui/} by esbuild; see
 * docs/p2p-marketplace-guide.md): a fixed list read once from the class path, so a request can
 * name nothing else, and nothing is fetched from outside at run time.
 */
public final class UiAssets {
    /** Where the built files are on the class path. */
    public static final String ROOT = "/io/ggen/node/ui/assets/";
    /** Every file the UI has, with its media type. */
    static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    /** One file: its bytes and media type. */
    public record Asset(String name, byte[] bytes, String contentType) {}

    private final Map<String, Asset> assets;

    private UiAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /** Reads every file from the class path; a missing one is a build error, said at start. */
    public static UiAssets load() {
        Map<String, Asset> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            try (InputStream in = UiAssets.class.getResourceAsStream(ROOT + f.getKey())) {
                if (in == null) throw new IllegalStateException("the web UI's " + f.getKey() + " is missing from the jar (" + ROOT + "); rebuild with 'npm run build' in webui/");
                out.put(f.getKey(), new Asset(f.getKey(), in.readAllBytes(), f.getValue()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the web UI's " + f.getKey() + ": " + e.getMessage(), e);
            }
        }
        return new UiAssets(out);
    }

    public Optional<Asset> get(String name) {
        return Optional.ofNullable(assets.get(name));
    }
}

package io.ggen.marketplace.manifest;

import io.ggen.marketplace.version.Version;
import io.ggen.marketplace.version.VersionReq;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A parsed and validated {@code gpack.toml}: ggen's {@code [gpack]} table and optional sections
 * (field names as ggen's GpackManifest has them), plus the marketplace's own fields in
 * {@code [gpack]}. Empty pattern lists mean ggen's default discovery globs
 * ({@link PackConventions}).
 */
public record GpackManifest(
        Gpack gpack,
        SortedMap<String, VersionReq> dependencies,
        Templates templates,
        List<String> macroPaths,
        Rdf rdf,
        Queries queries,
        List<String> shapePatterns,
        Preset preset) {

    public record Gpack(String id, String name, Version version, String description, String license, VersionReq ggenCompat,
                        List<String> authors, List<String> keywords, List<String> categories, List<String> tags,
                        String homepage, String repository, String readme) {}

    public record Templates(List<String> patterns, List<String> includes) {}

    public record Rdf(String base, SortedMap<String, String> prefixes, List<String> patterns, List<String> inline) {}

    public record Queries(List<String> patterns, SortedMap<String, String> aliases) {}

    public record Preset(String config, Map<String, Object> vars) {}

    public String id() {
        return gpack.id();
    }

    public Version version() {
        return gpack.version();
    }
}

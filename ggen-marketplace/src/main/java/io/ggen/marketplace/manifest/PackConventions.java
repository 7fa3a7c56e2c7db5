package io.ggen.marketplace.manifest;

import java.util.List;

/** ggen's default discovery globs, used when a section's {@code patterns} is empty. */
public final class PackConventions {
    public static final List<String> TEMPLATES = List.of("templates/**/*.tmpl", "templates/**/*.tera");
    public static final List<String> RDF = List.of("templates/**/graphs/*.ttl", "templates/**/graphs/*.rdf", "templates/**/graphs/*.jsonld");
    public static final List<String> QUERIES = List.of("templates/**/queries/*.rq", "templates/**/queries/*.sparql");
    public static final List<String> SHAPES = List.of("templates/**/graphs/shapes/*.shacl.ttl", "templates/**/shapes/*.ttl");
    /** Files at the pack root that always travel with it (license terms and the readme). */
    public static final List<String> ALWAYS = List.of("gpack.toml", "README*", "readme*", "LICENSE*", "LICENCE*", "COPYING*", "NOTICE*", "CHANGELOG*");

    private PackConventions() {}
}

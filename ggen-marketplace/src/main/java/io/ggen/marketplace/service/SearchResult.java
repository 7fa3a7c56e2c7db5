package io.ggen.marketplace.service;

import java.util.List;

/**
 * Hits, best first, and how many peers were asked and answered ({@code 0} and {@code 0} when the
 * local catalog sufficed or no network was at hand).
 */
public record SearchResult(List<Hit> results, int peersAsked, int peersAnswered, boolean offline) {
    public SearchResult {
        results = List.copyOf(results);
    }

    /**
     * One package's best-matching release, with its archive size, the providers known for its CID
     * and their average reputation; {@code source} is {@code local}, or {@code network} when a
     * peer's answer brought it in during this search.
     */
    public record Hit(String id, String version, String name, String description, String cid, long size, String publisher,
                      int providers, double avgReputation, double score, String source) {
        Hit fromNetwork() {
            return new Hit(id, version, name, description, cid, size, publisher, providers, avgReputation, score, "network");
        }
    }
}

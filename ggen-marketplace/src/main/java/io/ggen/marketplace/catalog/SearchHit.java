package io.ggen.marketplace.catalog;

import java.util.List;

/**
 * One package in search results, described by its latest non-yanked release, whose CID and
 * archive size come with it (no look-up per hit).
 */
public record SearchHit(String id, String version, String name, String description, String license, String publisher,
                        List<String> keywords, List<String> tags, List<String> categories, List<String> authors, long updatedAtMillis, double score,
                        String cid, long size) {}

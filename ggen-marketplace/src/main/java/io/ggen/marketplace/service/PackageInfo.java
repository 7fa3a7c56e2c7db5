package io.ggen.marketplace.service;

import java.util.List;
import java.util.Map;

/**
 * One package as a registry page shows it: the chosen version's manifest summary, every version
 * this node knows (yanked ones marked), the publisher's key and how far this node trusts it, the
 * providers of the chosen version's archive with their reputation, and, when the archive is in
 * this node's store, its files and its readme's text ({@code archiveLocal} false: both empty;
 * fetching the version brings them).
 */
public record PackageInfo(String id, String name, String version, String description, String license, String ggenCompat,
                          List<String> authors, List<String> keywords, List<String> categories, List<String> tags, String homepage, String repository,
                          Publisher publisher, Map<String, String> dependencies, List<VersionRow> versions, List<Provider> providers,
                          boolean archiveLocal, List<FileRow> files, int fileCount, long unpackedBytes, String readme, String readmePath,
                          boolean readmeTruncated, String installCommand) {
    public PackageInfo {
        authors = List.copyOf(authors);
        keywords = List.copyOf(keywords);
        categories = List.copyOf(categories);
        tags = List.copyOf(tags);
        dependencies = Map.copyOf(dependencies);
        versions = List.copyOf(versions);
        providers = List.copyOf(providers);
        files = List.copyOf(files);
    }

    /**
     * The key that signed the chosen version, and the package's owner as this node records it:
     * {@code trust} is {@code pinned} (the user pinned the key), {@code tofu} (the first key seen
     * publishing the id) or {@code none} (no owner recorded).
     */
    public record Publisher(String fingerprint, String trust, String ownerFingerprint, String ownerSince) {}

    /** One version: newest first; a yanked one is never chosen for a range, but stays installable by its exact version. */
    public record VersionRow(String version, String cid, long size, String publishedAt, boolean yanked, String yankReason) {}

    /** A peer known to serve the chosen version's archive, with its reputation as seen here; {@code self} is this node. */
    public record Provider(String peerId, double reputation, long successfulRetrievals, long failedRetrievals, boolean self) {}

    /** A file in the archive and its size in bytes. */
    public record FileRow(String path, long size) {}
}

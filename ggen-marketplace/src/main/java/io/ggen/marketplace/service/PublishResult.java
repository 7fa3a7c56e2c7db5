package io.ggen.marketplace.service;

import java.util.List;

/**
 * What a publish did: the release, whether it was already there, the manifest's warnings, and
 * (when a network was at hand) how far the announcement went. {@code offline} means the release
 * stays local until a node announces it.
 */
public record PublishResult(String id, String version, String cid, long size, String publisher, boolean alreadyPresent,
                            List<String> warnings, boolean offline, int announcedTo, int headStoredOn, int providerStoredOn,
                            List<String> problems) {
    public PublishResult {
        warnings = List.copyOf(warnings);
        problems = List.copyOf(problems);
    }
}

package io.ggen.marketplace.service;

import java.util.List;

/**
 * A signed yank: the release it withdraws from new resolutions, why, and the owner's fingerprint;
 * {@code alreadyYanked} when it had been yanked before (the stored yank is announced again).
 * With a node: to how many peers the yank was gossiped and on how many DHT nodes the package
 * head (which marks the version yanked) was stored; {@code offline} when no node ran, in which
 * case the node announces it when it next starts.
 */
public record YankResult(String id, String version, String cid, String reason, String publisher, boolean alreadyYanked, boolean offline,
                         int announcedTo, int headStoredOn, List<String> problems) {
    public YankResult {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}

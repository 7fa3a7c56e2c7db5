package io.ggen.marketplace.service;

import java.util.List;

/** What an install would bring: each release the resolution chose, and whether its archive is already in the store. */
public record InstallPlan(List<Step> releases) {
    public InstallPlan {
        releases = List.copyOf(releases);
    }

    public record Step(String id, String version, String cid, long size, String publisher, boolean inStore) {}
}

package io.ggen.marketplace.service;

import java.util.List;

/**
 * A download the node runs for an install, as its client sees it: the releases it brings (a
 * package and its dependencies), the bytes done of the total still missing, those fetched so
 * far, and when {@code done}, an {@code error} (empty on success). {@code notes} say what the
 * user should know of how the bytes came (through a relay rather than directly, and why).
 */
public record FetchJob(String job, boolean done, String error, long bytesDone, long bytesTotal, List<String> fetched, List<String> releases,
                       List<String> notes) {
    public FetchJob {
        fetched = List.copyOf(fetched);
        releases = List.copyOf(releases);
        notes = List.copyOf(notes);
    }
}

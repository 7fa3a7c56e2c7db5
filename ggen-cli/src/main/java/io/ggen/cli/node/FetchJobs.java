package io.ggen.cli.node;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.marketplace.release.ReleaseRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads the node runs for {@code install}: each job fetches a resolved release and its
 * dependencies into the store, and the CLI polls its progress. At most {@link #MAX_JOBS} are
 * remembered (finished ones are forgotten first), so polling clients cannot grow the node.
 */
final class FetchJobs {
    static final int MAX_JOBS = 64;
    static final int MAX_RUNNING = 4;

    static final class Job {
        final String id;
        final List<ReleaseRecord> releases = new ArrayList<>();
        final AtomicLong bytesDone = new AtomicLong();
        volatile long bytesTotal;
        volatile boolean done;
        volatile String error = "";
        final List<String> fetched = new ArrayList<>();

        Job(String id) {
            this.id = id;
        }

        synchronized ObjectNode json() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("job", id);
            o.put("done", done);
            o.put("error", error);
            o.put("bytes_done", bytesDone.get());
            o.put("bytes_total", bytesTotal);
            var arr = o.putArray("fetched");
            fetched.forEach(arr::add);
            var rel = o.putArray("releases");
            releases.forEach(r -> rel.add(r.coordinates()));
            return o;
        }
    }

    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private long counter;

    synchronized Job create() {
        long running = jobs.values().stream().filter(j -> !j.done).count();
        if (running >= MAX_RUNNING) return null;
        while (jobs.size() >= MAX_JOBS) {
            Optional<String> oldestDone = jobs.values().stream().filter(j -> j.done).map(j -> j.id).findFirst();
            if (oldestDone.isEmpty()) return null;
            jobs.remove(oldestDone.get());
        }
        Job j = new Job(Long.toString(++counter, 36) + "-" + Long.toHexString(System.nanoTime() & 0xffffff));
        jobs.put(j.id, j);
        return j;
    }

    synchronized Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    synchronized Collection<Job> all() {
        return List.copyOf(jobs.values());
    }
}

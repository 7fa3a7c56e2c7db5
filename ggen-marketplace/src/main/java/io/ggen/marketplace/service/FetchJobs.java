package io.ggen.marketplace.service;

import io.ggen.marketplace.release.ReleaseRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The downloads a node runs for installs. At most {@link #MAX_RUNNING} run at once and
 * {@link #MAX_JOBS} are remembered (finished ones are forgotten first), so clients that start
 * and poll jobs cannot grow the node.
 */
final class FetchJobs {
    static final int MAX_JOBS = 64;
    static final int MAX_RUNNING = 4;

    /** A job's mutable state; {@link #view} is what clients see. */
    static final class Job {
        final String id;
        final List<ReleaseRecord> releases;
        final long bytesTotal;
        final AtomicLong bytesDone = new AtomicLong();
        private final List<String> fetched = new ArrayList<>();
        private volatile boolean done;
        private volatile String error = "";

        Job(String id, List<ReleaseRecord> releases, long bytesTotal) {
            this.id = id;
            this.releases = List.copyOf(releases);
            this.bytesTotal = bytesTotal;
        }

        synchronized void fetched(String coordinates) {
            fetched.add(coordinates);
        }

        private final List<String> notes = new ArrayList<>();

        /** Keeps a note for the user; the same note once, and at most {@value #MAX_NOTES}. */
        synchronized void note(String text) {
            if (notes.size() < MAX_NOTES && !notes.contains(text)) notes.add(text);
        }

        private volatile boolean cancelled;

        /** Asks the job to stop: it does at the next chunk that arrives (or before the next release). */
        void cancel() {
            cancelled = true;
        }

        boolean cancelled() {
            return cancelled;
        }

        void finish(String error) {
            this.error = error;
            this.done = true;
        }

        boolean done() {
            return done;
        }

        synchronized FetchJob view() {
            return new FetchJob(id, done, error, bytesDone.get(), bytesTotal, fetched, releases.stream().map(ReleaseRecord::coordinates).toList(), notes);
        }
    }

    static final int MAX_NOTES = 16;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private long counter;

    /** A new job, or empty when {@link #MAX_RUNNING} run already or every remembered job is still running. */
    synchronized Optional<Job> create(List<ReleaseRecord> releases, long bytesTotal) {
        long running = jobs.values().stream().filter(j -> !j.done()).count();
        if (running >= MAX_RUNNING) return Optional.empty();
        while (jobs.size() >= MAX_JOBS) {
            Optional<String> oldestDone = jobs.values().stream().filter(Job::done).map(j -> j.id).findFirst();
            if (oldestDone.isEmpty()) return Optional.empty();
            jobs.remove(oldestDone.get());
        }
        Job j = new Job(Long.toString(++counter, 36) + "-" + Long.toHexString(System.nanoTime() & 0xffffff), releases, bytesTotal);
        jobs.put(j.id, j);
        return Optional.of(j);
    }

    synchronized Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }
}

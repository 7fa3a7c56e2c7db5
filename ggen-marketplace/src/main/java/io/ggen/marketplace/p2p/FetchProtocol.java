package io.ggen.marketplace.p2p;

import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.content.ContentStore;
import io.ggen.marketplace.release.RecordException;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /ggen/fetch/1.0.0}: content by CID, by byte range. The requester sends one frame
 * {1: cid bytes, 2: offset, 3: length (0 = to the end)}; the server answers one frame
 * {1: status (0 ok, 1 not found, 2 bad request, 3 busy), 2: total size, 3: message} and then the
 * bytes of the range in frames of at most 64 KiB, and closes its side. The server serves only
 * what its store holds and verifies, at most {@link #MAX_CONCURRENT_PER_PEER} transfers per peer
 * and {@link #MAX_REQUESTS_PER_MINUTE} requests per peer per minute.
 */
public final class FetchProtocol {
    public static final String ID = "/ggen/fetch/1.0.0";
    static final int MAX_REQUEST = 256;
    static final int MAX_HEADER = 1024;
    public static final int CHUNK = 64 * 1024;
    static final int MAX_CONCURRENT_PER_PEER = 4;
    static final int MAX_REQUESTS_PER_MINUTE = 120;
    static final int OK = 0;
    static final int NOT_FOUND = 1;
    static final int BAD_REQUEST = 2;
    static final int BUSY = 3;

    private final ContentStore store;
    private final Map<PeerId, int[]> active = new LinkedHashMap<>();
    private final PeerRequestRate rate = new PeerRequestRate(MAX_REQUESTS_PER_MINUTE, 4096);

    private final long uploadBytesPerSecond;

    public FetchProtocol(ContentStore store) {
        this(store, 0);
    }

    /** @param uploadBytesPerSecond pace of each transfer this node serves; 0 for no limit */
    public FetchProtocol(ContentStore store, long uploadBytesPerSecond) {
        this(store, uploadBytesPerSecond, P2pTimeouts.DEFAULT);
    }

    private final P2pTimeouts timeouts;

    /** @param timeouts reading the request, and writing the answer (each chunk within the transfer stall time) */
    public FetchProtocol(ContentStore store, long uploadBytesPerSecond, P2pTimeouts timeouts) {
        this(store, uploadBytesPerSecond, timeouts, TransferMeter.unlimited());
    }

    private final TransferMeter meter;

    /** @param meter counts what is served, under the node's total upload limit */
    public FetchProtocol(ContentStore store, long uploadBytesPerSecond, P2pTimeouts timeouts, TransferMeter meter) {
        this.meter = meter;
        if (uploadBytesPerSecond < 0) throw new IllegalArgumentException("upload limit must not be negative");
        this.timeouts = timeouts;
        this.store = store;
        this.uploadBytesPerSecond = uploadBytesPerSecond;
    }

    static byte[] request(ContentId cid, long offset, long length) {
        return FetchCodec.encodeRequest(new FetchCodec.Request(cid, offset, length));
    }

    static byte[] header(int status, long total, String message) {
        return FetchCodec.encodeHeader(new FetchCodec.Header(status, total, message));
    }

    static FetchCodec.Header readHeader(InputStream in) throws IOException {
        byte[] h = LengthPrefixed.read(in, MAX_HEADER).orElseThrow(() -> new IOException("closed before the answer"));
        try {
            return FetchCodec.decodeHeader(h);
        } catch (RecordException e) {
            throw new IOException("malformed fetch answer: " + e.getMessage());
        }
    }

    /** Serves one request; never throws for a bad request (answers it), only for I/O failures. */
    public void serve(Stream s) throws IOException {
        PeerId peer = s.connection().remotePeer();
        s.setReadDeadline(timeouts.requestDeadline());
        s.setWriteDeadline(timeouts.requestDeadline());
        Optional<byte[]> req = LengthPrefixed.read(s.in(), MAX_REQUEST);
        if (req.isEmpty()) return;
        ContentId cid;
        long offset;
        long length;
        try {
            FetchCodec.Request request = FetchCodec.decodeRequest(req.get());
            cid = request.cid();
            offset = request.offset();
            length = request.length();
        } catch (RecordException e) {
            LengthPrefixed.write(s.out(), header(BAD_REQUEST, 0, "malformed request"));
            return;
        }
        if (!admit(peer)) {
            LengthPrefixed.write(s.out(), header(BUSY, 0, "too many requests; retry later"));
            return;
        }
        try {
            if (!store.contains(cid)) {
                LengthPrefixed.write(s.out(), header(NOT_FOUND, 0, "not here"));
                return;
            }
            long total = store.size(cid);
            if (offset > total || length < 0) {
                LengthPrefixed.write(s.out(), header(BAD_REQUEST, total, "range outside the content"));
                return;
            }
            long remaining = length == 0 ? total - offset : Math.min(length, total - offset);
            LengthPrefixed.write(s.out(), header(OK, total, ""));
            // Ranges are read straight from the object file: verifying the whole object on every
            // request would hash everything before the offset (a 4-way ranged download of 50 MiB
            // hashed 400 MiB). The requester verifies what it assembles against the CID anyway,
            // and `ggen marketplace doctor` checks the store.
            try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(store.pathOf(cid), java.nio.file.StandardOpenOption.READ)) {
                byte[] buf = new byte[CHUNK];
                OutputStream out = s.out();
                long started = System.nanoTime();
                long sent = 0;
                long pos = offset;
                while (remaining > 0) {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, remaining));
                    while (b.hasRemaining()) {
                        int n = file.read(b, pos + b.position());
                        if (n < 0) break;
                    }
                    int n = b.position();
                    if (n <= 0) break;
                    meter.serving(n);
                    // a requester that stops reading loses the transfer (and its slot) after this
                    s.setWriteDeadline(java.time.Instant.now().plus(timeouts.transferStall()));
                    LengthPrefixed.write(out, n == buf.length ? buf : java.util.Arrays.copyOf(buf, n));
                    remaining -= n;
                    pos += n;
                    sent += n;
                    if (uploadBytesPerSecond > 0) pace(started, sent);
                }
            }
            s.closeWrite();
        } finally {
            release(peer);
        }
    }

    /** Holds the transfer back until {@code sent} bytes are due at the configured rate. */
    private void pace(long startedNanos, long sent) throws IOException {
        long dueNanos = startedNanos + (long) (sent * 1e9 / uploadBytesPerSecond);
        long wait = dueNanos - System.nanoTime();
        if (wait <= 0) return;
        try {
            Thread.sleep(Duration.ofNanos(wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private synchronized boolean admit(PeerId peer) {
        if (!rate.admit(peer)) return false;
        int[] a = active.computeIfAbsent(peer, p -> new int[1]);
        if (a[0] >= MAX_CONCURRENT_PER_PEER) return false;
        a[0]++;
        return true;
    }

    private synchronized void release(PeerId peer) {
        int[] a = active.get(peer);
        if (a != null && --a[0] <= 0) active.remove(peer);
    }
}

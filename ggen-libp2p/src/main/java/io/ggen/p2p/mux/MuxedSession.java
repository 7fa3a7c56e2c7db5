package io.ggen.p2p.mux;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A stream multiplexer session on one secured connection. */
public interface MuxedSession {
    /** Opens an outbound stream; fails when the session is closed or the stream limit is hit. */
    CompletableFuture<MuxedStream> openStream();

    /** Number of streams currently open (any state but fully closed). */
    int streamCount();

    /** Muxer-level ping (yamux ping frame); completes with the round-trip time. */
    CompletableFuture<Duration> ping();

    /** Tells the remote no new streams will be accepted, then closes when streams are done. */
    void goAway();

    /** Closes the session and its connection now; open streams are reset. */
    void close();

    /** Completes when the session is closed, for any reason. */
    CompletableFuture<Void> closed();
}

/**
 * Yamux stream multiplexer ({@code /yamux/1.0.0}).
 *
 * <p>Read and write deadlines ({@link io.ggen.p2p.mux.MuxedStream#setReadDeadline}) are timed
 * waits of the blocked reader or writer on the stream's conditions (a scheduled wake-up of that
 * thread, no timer thread); past one, the call fails with
 * {@link io.ggen.p2p.core.StreamTimeoutException} and the stream stays as it was. *
 * <p>Implements hashicorp/yamux {@code spec.md} (framing, SYN/ACK/FIN/RST, window updates,
 * ping, GoAway) with the libp2p additions of libp2p/specs {@code yamux/README.md} (a backlog of
 * at most 256 unacknowledged inbound streams, beyond which new streams are reset). Split as
 * the project's other protocols: {@link io.ggen.p2p.mux.yamux.YamuxCodec} (pure framing),
 * {@link io.ggen.p2p.mux.yamux.YamuxStateMachine} (pure protocol state, driven by frames and
 * local calls), {@link io.ggen.p2p.mux.yamux.YamuxSession} (the Netty handler and the public
 * {@link io.ggen.p2p.mux.MuxedSession}), with blocking streams for virtual threads.
 *
 * <p>Choices and deliberate deviations:
 * <ul>
 *   <li>Receive windows start at the spec's 256 KiB and auto-tune as go-yamux and js-libp2p do:
 *       when half a window is read within 4 RTTs of the previous update the window doubles, up
 *       to {@link io.ggen.p2p.mux.yamux.YamuxConfig#maxStreamWindow()} and within a session
 *       budget. The RTT comes from yamux pings (one sent with the session's first window
 *       update, when auto-tuning first needs it, then keep-alives); it is floored at
 *       {@link io.ggen.p2p.mux.yamux.YamuxConfig#autoTuneRttFloor()} (1 ms), and taken as that
 *       floor until measured, because an RTT measured on an idle loopback link is far below
 *       the RTT under load. No ping is sent as a session starts (js-libp2p sends one, which
 *       we answer): it would cross the wire and be answered in the middle of every
 *       connection's set-up.</li>
 *   <li>Window updates are sent as the application reads, not as data arrives, so a slow
 *       reader throttles the writer; a peer that sends past the window it was granted gets
 *       GoAway(protocol error).</li>
 *   <li>An inbound stream is acknowledged when the application first reads, writes or closes
 *       it (go-yamux acknowledges on accept); so the unacknowledged backlog measures streams the
 *       application has not started on.</li>
 *   <li>A DATA frame whose payload arrives in pieces is processed piece by piece (equivalent
 *       to several shorter frames): no payload is ever buffered or allocated from a length
 *       field, and received bytes reach the reader as retained slices, copied once into its
 *       array.</li>
 *   <li>Lenient where go-yamux is: frames for unknown (typically just closed) streams are
 *       dropped, as are pong answers we did not ask for. Strict where js-libp2p is: PING and
 *       GoAway only on stream 0, DATA and window updates never on it; SYN with our own id
 *       parity or for an open stream is a protocol error.</li>
 *   <li>Remote pings are answered unless {@code maxPendingPongs} answers are still unwritten
 *       (a peer that pings without reading).</li>
 *   <li>GoAway(normal), sent or received, stops new streams; the session closes when its last
 *       stream is done. GoAway with an error code resets all streams at once.</li>
 * </ul>
 */
package io.ggen.p2p.mux.yamux;

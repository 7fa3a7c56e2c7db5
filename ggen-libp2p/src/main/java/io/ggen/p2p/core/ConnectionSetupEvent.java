package io.ggen.p2p.core;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One step of setting up a connection (TCP connect, multistream-select, each Noise message,
 * identify), as a JFR event: off unless a recording enables it, e.g.
 * {@code -XX:StartFlightRecording=filename=x.jfr,+io.ggen.p2p.ConnectionSetup#enabled=true}
 * or {@code bench/dial-breakdown.sh}, which lines the steps of both ends up by connection.
 *
 * <p>A connection is known on both ends by the dialer's TCP port ({@link #dialerPort}), so the
 * steps of one dial in two processes can be matched. A step with no duration marks a moment.
 */
@Name(ConnectionSetupEvent.NAME)
@Label("Connection set-up step")
@Description("A step of a connection's set-up: transport, security handshake, muxer, identify")
@Category({"ggen", "libp2p"})
@StackTrace(false)
@Enabled(false)
public final class ConnectionSetupEvent extends jdk.jfr.Event {
    public static final String NAME = "io.ggen.p2p.ConnectionSetup";

    @Label("Step")
    public String step;

    @Label("Dialer")
    @Description("True in the process that dialed")
    public boolean dialer;

    @Label("Dialer port")
    @Description("The dialing side's TCP port: the same connection in both processes")
    public int dialerPort;

    @Label("Began, monotonic")
    @Description("System.nanoTime() when the step began: one clock for every process of the machine, so that the steps of two processes line up")
    public long beganNanos;

    private ConnectionSetupEvent() {}

    private void start() {
        begin();
        beganNanos = System.nanoTime();
    }

    /** Starts timing {@code step}; {@link #end} commits it. */
    public static ConnectionSetupEvent begin(String step) {
        ConnectionSetupEvent e = new ConnectionSetupEvent();
        e.step = step;
        e.start();
        return e;
    }

    /** Commits the step, which ended now, for the connection between {@code local} and {@code remote}. */
    public void end(boolean dialer, SocketAddress local, SocketAddress remote) {
        end();
        if (!shouldCommit()) return;
        this.dialer = dialer;
        this.dialerPort = port(dialer ? local : remote);
        commit();
    }

    /** Commits the step for a connection whose dialer port is known. */
    public void end(boolean dialer, int dialerPort) {
        end();
        if (!shouldCommit()) return;
        this.dialer = dialer;
        this.dialerPort = dialerPort;
        commit();
    }

    /** Marks a moment of a connection's set-up. */
    public static void mark(String step, boolean dialer, SocketAddress local, SocketAddress remote) {
        ConnectionSetupEvent e = new ConnectionSetupEvent();
        if (!e.isEnabled()) return;
        e.step = step;
        e.start();
        e.end(dialer, local, remote);
    }

    /** Marks a moment of a connection's set-up, for a connection whose dialer port is known. */
    public static void mark(String step, boolean dialer, int dialerPort) {
        ConnectionSetupEvent e = new ConnectionSetupEvent();
        if (!e.isEnabled()) return;
        e.step = step;
        e.start();
        e.end(dialer, dialerPort);
    }

    /** Commits the step for connection {@code c}. */
    public void end(Connection c) {
        end();
        if (!shouldCommit()) return;
        this.dialer = c.direction() == Direction.OUTBOUND;
        this.dialerPort = port(c);
        commit();
    }

    /** Marks a moment of connection {@code c}'s set-up. */
    public static void mark(String step, Connection c) {
        ConnectionSetupEvent e = new ConnectionSetupEvent();
        if (!e.isEnabled()) return;
        e.step = step;
        e.start();
        e.end(c);
    }

    private static int port(Connection c) {
        var a = c.direction() == Direction.OUTBOUND ? c.localAddr() : c.remoteAddr();
        return a.toTcpSocketAddress().map(InetSocketAddress::getPort).orElse(-1);
    }

    /** Whether a recording is taking these events now (to skip work done only for them). */
    public static boolean recording() {
        return new ConnectionSetupEvent().isEnabled();
    }

    private static int port(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getPort() : -1;
    }
}

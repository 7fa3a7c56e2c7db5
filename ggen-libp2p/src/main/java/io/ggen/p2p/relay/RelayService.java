package io.ggen.p2p.relay;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.ConnectionLimit;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.core.Subscription;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.relay.RelayMessage.Connect;
import io.ggen.p2p.relay.RelayMessage.Hop;
import io.ggen.p2p.relay.RelayMessage.HopStatus;
import io.ggen.p2p.relay.RelayMessage.PeerInfo;
import io.ggen.p2p.relay.RelayMessage.Reservation;
import io.ggen.p2p.relay.RelayMessage.Reserve;
import io.ggen.p2p.relay.RelayMessage.Status;
import io.ggen.p2p.relay.RelayMessage.StopConnect;
import io.ggen.p2p.relay.RelayMessage.StopStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay side of Circuit Relay v2 ({@code /libp2p/circuit/relay/0.2.0/hop}): grants
 * reservations with signed vouchers, and joins a connecting peer's hop stream to a stop stream it
 * opens to the reserved peer, copying bytes both ways within the circuit limit. The limits are
 * kept by {@link ReservationTable}; the duration limit is a deadline on both streams, so an
 * over-long circuit ends at its next read or write with no timer of its own.
 */
public final class RelayService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayService.class);
    private static final int COPY_BUFFER = 16 * 1024;

    private final Host host;
    private final RelayConfig config;
    private final ReservationTable table;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong limitResets = new AtomicLong();
    private Subscription closedSub;

    public RelayService(Host host, RelayConfig config) {
        this.host = host;
        this.config = config;
        this.table = new ReservationTable(config);
    }

    public void start() {
        closedSub = host.events().subscribe(Event.ConnectionClosed.class, e -> {
            PeerId p = e.connection().remotePeer();
            // A reservation lives as long as the reserving peer stays connected (directly).
            if (host.connections(p).stream().noneMatch(c -> c.isOpen() && !c.relayed())) table.cancel(p);
        });
        host.handle(RelayCodec.HOP_PROTOCOL, this::serveHop);
    }

    @Override
    public void close() {
        host.unhandle(RelayCodec.HOP_PROTOCOL);
        if (closedSub != null) closedSub.close();
    }

    public int reservations() {
        return table.reservations();
    }

    public int circuits() {
        return table.circuits();
    }

    /** Reservations and circuits refused by a limit since start. */
    public long refused() {
        return refused.get();
    }

    /** Circuits reset because they passed the data limit. */
    public long limitResets() {
        return limitResets.get();
    }

    int bookkeepingEntries() {
        return table.bookkeepingEntries();
    }

    public RelayConfig config() {
        return config;
    }

    void serveHop(Stream stream) throws IOException {
        stream.setDeadline(Instant.now().plus(config.timeout()));
        Hop request;
        try {
            Optional<Hop> m = RelayCodec.readHop(stream.in());
            if (m.isEmpty()) return;
            request = m.get();
        } catch (RelayProtocolException e) {
            RelayCodec.write(stream.out(), HopStatus.of(Status.MALFORMED_MESSAGE));
            return;
        }
        Connection conn = stream.connection();
        if (conn.relayed()) {
            // The spec asks relays not to serve over relayed connections: no chains of relays.
            RelayCodec.write(stream.out(), HopStatus.of(Status.PERMISSION_DENIED));
            return;
        }
        switch (request) {
            case Reserve r -> reserve(stream, conn);
            case Connect c -> connect(stream, conn, c.peer().id());
            case HopStatus s -> RelayCodec.write(stream.out(), HopStatus.of(Status.UNEXPECTED_MESSAGE));
        }
    }

    private void reserve(Stream stream, Connection conn) throws IOException {
        PeerId peer = conn.remotePeer();
        Instant now = Instant.now();
        ReservationTable.Outcome o = table.reserve(peer, ipKey(conn.remoteAddr()), now);
        if (o != ReservationTable.Outcome.OK) {
            refused.incrementAndGet();
            log.debug("reservation of {} refused: {}", peer, o);
            RelayCodec.write(stream.out(), HopStatus.of(Status.RESERVATION_REFUSED));
            return;
        }
        long expire = table.expiry(peer).getEpochSecond();
        byte[] voucher = new ReservationVoucher(host.peerId(), peer, expire).seal(host.identity());
        List<Multiaddr> addrs = host.listenAddrs().stream()
                .filter(a -> config.advertiseNonPublicAddrs() || config.classifier().isPublic(a))
                .limit(RelayCodec.MAX_ADDRS)
                .map(a -> a.withPeerId(host.peerId()))
                .toList();
        RelayCodec.write(stream.out(), new HopStatus(Status.OK, Optional.of(new Reservation(expire, addrs, Optional.of(voucher))), limit()));
    }

    private Optional<ConnectionLimit> limit() {
        return config.circuitLimit().unlimited() ? Optional.empty() : Optional.of(config.circuitLimit());
    }

    private void connect(Stream src, Connection srcConn, PeerId dst) throws IOException {
        PeerId from = srcConn.remotePeer();
        ReservationTable.Outcome o = table.openCircuit(from, dst, Instant.now());
        if (o != ReservationTable.Outcome.OK) {
            if (o != ReservationTable.Outcome.NO_RESERVATION) refused.incrementAndGet();
            RelayCodec.write(src.out(), HopStatus.of(o == ReservationTable.Outcome.NO_RESERVATION ? Status.NO_RESERVATION : Status.RESOURCE_LIMIT_EXCEEDED));
            return;
        }
        Stream dstStream = null;
        try {
            Optional<Connection> dstConn = host.connections(dst).stream().filter(c -> c.isOpen() && !c.relayed()).findFirst();
            if (dstConn.isEmpty()) {
                RelayCodec.write(src.out(), HopStatus.of(Status.NO_RESERVATION));
                return;
            }
            try {
                dstStream = dstConn.get().newStream(List.of(RelayCodec.STOP_PROTOCOL)).get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
                dstStream.setDeadline(Instant.now().plus(config.timeout()));
                RelayCodec.write(dstStream.out(), new StopConnect(new PeerInfo(from, List.of()), limit()));
                Optional<RelayMessage.Stop> answer = RelayCodec.readStop(dstStream.in());
                if (answer.isEmpty() || !(answer.get() instanceof StopStatus st) || st.status() != Status.OK) {
                    throw new IOException("the peer declined: " + answer.map(Object::toString).orElse("no answer"));
                }
            } catch (Exception e) {
                log.debug("circuit {} -> {} failed at the stop side: {}", from, dst, e.toString());
                if (dstStream != null) dstStream.reset();
                dstStream = null;
                RelayCodec.write(src.out(), HopStatus.of(Status.CONNECTION_FAILED));
                return;
            }
            RelayCodec.write(src.out(), new HopStatus(Status.OK, Optional.empty(), limit()));
            bridge(src, dstStream);
        } finally {
            table.closeCircuit(from, dst);
            if (dstStream != null) dstStream.reset();
        }
    }

    /** Copies both ways until either side ends, a limit is passed or the duration is over. */
    private void bridge(Stream a, Stream b) {
        ConnectionLimit l = config.circuitLimit();
        Instant end = l.duration().isZero() ? null : Instant.now().plus(l.duration());
        a.setDeadline(end);
        b.setDeadline(end);
        Thread back = Thread.ofVirtual().name("relay-copy").start(() -> copy(b, a, l.dataBytes()));
        copy(a, b, l.dataBytes());
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void copy(Stream from, Stream to, long maxBytes) {
        byte[] buf = new byte[COPY_BUFFER];
        long total = 0;
        try {
            InputStream in = from.in();
            OutputStream out = to.out();
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    to.closeWrite();
                    return;
                }
                total += n;
                if (maxBytes > 0 && total > maxBytes) {
                    limitResets.incrementAndGet();
                    log.debug("circuit passed its data limit of {} bytes; resetting", maxBytes);
                    from.reset();
                    to.reset();
                    return;
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            from.reset();
            to.reset();
        }
    }

    /** The unit reservations are counted in per address: the IPv4 address or the IPv6 /64. */
    static String ipKey(Multiaddr remote) {
        Optional<InetAddress> ip = remote.toTcpSocketAddress().map(java.net.InetSocketAddress::getAddress);
        if (ip.isEmpty() || ip.get() == null) return "?";
        byte[] b = ip.get().getAddress();
        return ip.get() instanceof Inet6Address ? "6:" + HexFormat.of().formatHex(b, 0, 8) : "4:" + HexFormat.of().formatHex(b);
    }
}

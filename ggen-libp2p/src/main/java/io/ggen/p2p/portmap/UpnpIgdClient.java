package io.ggen.p2p.portmap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * UPnP IGD against the gateway: SSDP M-SEARCH (answers from the gateway's subnet only, whose
 * LOCATION is on the answering host; {@link #MAX_ANSWERS} at most, within {@code searchWait}),
 * the device description (at most {@link IgdXml#MAX_SIZE} bytes), then SOAP on the best
 * connection service: GetExternalIPAddress, AddPortMapping, DeletePortMapping. Every HTTP
 * exchange has one deadline for all of it, headers and body.
 */
public final class UpnpIgdClient implements MappingClient {
    static final int MAX_ANSWERS = 8;
    private final Gateway gateway;
    private final Duration searchWait;
    private final Duration httpTimeout;
    private final String description;
    /** Made on first use: a node whose router answers PCP never starts java.net.http's selector thread. */
    private HttpClient http;
    private volatile IgdXml.ControlPoint controlPoint;

    public UpnpIgdClient(Gateway gateway, Duration searchWait, Duration httpTimeout, String description) {
        this.gateway = gateway;
        this.searchWait = searchWait;
        this.httpTimeout = httpTimeout;
        this.description = description;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                    .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(httpTimeout).build();
        }
        return http;
    }

    @Override
    public MappingMethod method() {
        return MappingMethod.UPNP;
    }

    @Override
    public Granted map(int internalPort, int externalPort, long lifetimeSecs) throws PortMapException {
        IgdXml.ControlPoint cp = controlPoint();
        try {
            InetAddress external = externalAddress(cp);
            Map<String, String> args = new LinkedHashMap<>();
            args.put("NewRemoteHost", "");
            args.put("NewExternalPort", Integer.toString(externalPort));
            args.put("NewProtocol", "TCP");
            args.put("NewInternalPort", Integer.toString(internalPort));
            args.put("NewInternalClient", gateway.localAddress().getHostAddress());
            args.put("NewEnabled", "1");
            args.put("NewPortMappingDescription", description);
            args.put("NewLeaseDuration", Long.toString(lifetimeSecs));
            action(cp, "AddPortMapping", args);
            return new Granted(external, externalPort, lifetimeSecs);
        } catch (PortMapException e) {
            if (e.kind() == PortMapException.Kind.UNAVAILABLE) controlPoint = null;
            throw e;
        }
    }

    @Override
    public void unmap(PortMapping mapping) throws PortMapException {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("NewRemoteHost", "");
        args.put("NewExternalPort", Integer.toString(mapping.externalPort()));
        args.put("NewProtocol", "TCP");
        action(controlPoint(), "DeletePortMapping", args);
    }

    private InetAddress externalAddress(IgdXml.ControlPoint cp) throws PortMapException {
        String ip = action(cp, "GetExternalIPAddress", Map.of()).getOrDefault("NewExternalIPAddress", "").trim();
        if (!ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new PortMapException(PortMapException.Kind.MALFORMED, "UPnP: external address \"" + clip(ip) + "\" is not an IPv4 address");
        }
        String[] parts = ip.split("\\.");
        byte[] raw = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v > 255) throw new PortMapException(PortMapException.Kind.MALFORMED, "UPnP: external address \"" + ip + "\" is not an IPv4 address");
            raw[i] = (byte) v;
        }
        InetAddress a = NatPmpCodec.ipv4(raw);
        if (a.isAnyLocalAddress()) throw new PortMapException(PortMapException.Kind.UNAVAILABLE, "UPnP: the gateway has no external address (0.0.0.0)");
        return a;
    }

    // ------------------------------------------------------------------ discovery

    private IgdXml.ControlPoint controlPoint() throws PortMapException {
        IgdXml.ControlPoint cp = controlPoint;
        if (cp != null) return cp;
        List<SsdpCodec.Answer> answers = search();
        if (answers.isEmpty()) throw new PortMapException(PortMapException.Kind.UNAVAILABLE, "UPnP: no Internet Gateway Device answered on " + gateway.interfaceName());
        String why = "";
        for (SsdpCodec.Answer a : answers) {
            try {
                java.util.Optional<IgdXml.ControlPoint> found = IgdXml.controlPoint(get(a.location()), a.location());
                if (found.isPresent()) {
                    controlPoint = found.get();
                    return found.get();
                }
                why = "no WANIPConnection or WANPPPConnection service in " + a.location();
            } catch (PortmapCodecException e) {
                why = a.location() + ": " + e.getMessage();
            } catch (PortMapException e) {
                why = e.getMessage();
            }
        }
        throw new PortMapException(PortMapException.Kind.UNAVAILABLE, "UPnP: " + why);
    }

    /** SSDP answers from hosts on the gateway's network, the gateway's own first. */
    List<SsdpCodec.Answer> search() throws PortMapException {
        List<SsdpCodec.Answer> out = new ArrayList<>();
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(gateway.localAddress(), 0))) {
            byte[] req = SsdpCodec.search(SsdpCodec.IGD_1, (int) Math.max(1, searchWait.toSeconds()));
            s.send(new DatagramPacket(req, req.length, new InetSocketAddress(InetAddress.getByName(SsdpCodec.MULTICAST_ADDRESS), SsdpCodec.PORT)));
            s.send(new DatagramPacket(req, req.length, new InetSocketAddress(gateway.address(), SsdpCodec.PORT)));
            long end = System.nanoTime() + searchWait.toNanos();
            byte[] buf = new byte[SsdpCodec.MAX_SIZE + 1];
            int datagrams = 0;
            while (out.size() < MAX_ANSWERS && datagrams++ < 16 * MAX_ANSWERS) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) break;
                s.setSoTimeout((int) Math.max(1, left));
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                InetAddress from = p.getAddress();
                if (!gateway.onLink(from) || p.getLength() > SsdpCodec.MAX_SIZE) continue;
                SsdpCodec.Answer a;
                try {
                    a = SsdpCodec.parseAnswer(buf, p.getLength());
                } catch (PortmapCodecException e) {
                    continue;
                }
                // the description must come from the host that answered, not a host it names
                if (!(from instanceof Inet4Address) || !from.getHostAddress().equals(a.location().getHost())) continue;
                if (out.stream().anyMatch(o -> o.location().equals(a.location()))) continue;
                if (from.equals(gateway.address())) {
                    out.addFirst(a);
                    break;
                }
                out.add(a);
            }
        } catch (IOException e) {
            throw new PortMapException(PortMapException.Kind.UNAVAILABLE, "UPnP: SSDP search failed: " + e.getMessage(), e);
        }
        return out;
    }

    // ------------------------------------------------------------------ HTTP and SOAP

    private Map<String, String> action(IgdXml.ControlPoint cp, String action, Map<String, String> args) throws PortMapException {
        HttpRequest req = HttpRequest.newBuilder(cp.controlUrl()).timeout(httpTimeout)
                .header("Content-Type", "text/xml; charset=\"utf-8\"")
                .header("SOAPAction", "\"" + cp.serviceType() + "#" + action + "\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(IgdXml.soapRequest(cp.serviceType(), action, args))).build();
        HttpResponse<byte[]> resp = send(req, "UPnP " + action);
        IgdXml.SoapResult result;
        try {
            result = IgdXml.soapResponse(resp.body(), action);
        } catch (PortmapCodecException e) {
            throw new PortMapException(resp.statusCode() == 200 ? PortMapException.Kind.MALFORMED : PortMapException.Kind.UNAVAILABLE,
                    "UPnP " + action + ": HTTP " + resp.statusCode() + ", " + e.getMessage());
        }
        return switch (result) {
            case IgdXml.SoapResult.Ok ok -> ok.args();
            case IgdXml.SoapResult.Fault f -> throw fault(action, f);
        };
    }

    private static PortMapException fault(String action, IgdXml.SoapResult.Fault f) {
        PortMapException.Kind kind = switch (f.errorCode()) {
            case 718 -> PortMapException.Kind.CONFLICT;
            case 725 -> PortMapException.Kind.ONLY_PERMANENT_LEASES;
            case 401, 602 -> PortMapException.Kind.UNAVAILABLE;
            default -> PortMapException.Kind.REFUSED;
        };
        return new PortMapException(kind, "UPnP " + action + ": error " + f.errorCode() + (f.description().isEmpty() ? "" : " " + clip(f.description())));
    }

    private byte[] get(URI location) throws PortMapException {
        HttpRequest req = HttpRequest.newBuilder(location).timeout(httpTimeout).GET().build();
        HttpResponse<byte[]> resp = send(req, "UPnP description");
        if (resp.statusCode() != 200) throw new PortMapException(PortMapException.Kind.UNAVAILABLE, "UPnP description " + location + ": HTTP " + resp.statusCode());
        return resp.body();
    }

    private HttpResponse<byte[]> send(HttpRequest req, String what) throws PortMapException {
        CompletableFuture<HttpResponse<byte[]>> f = http().sendAsync(req, info -> new LimitedBody(IgdXml.MAX_SIZE));
        try {
            return f.get(httpTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new PortMapException(PortMapException.Kind.UNAVAILABLE, what + ": no complete answer within " + httpTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new PortMapException(c instanceof TooLarge ? PortMapException.Kind.MALFORMED : PortMapException.Kind.UNAVAILABLE, what + ": " + c.getMessage(), c);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new PortMapException(PortMapException.Kind.UNAVAILABLE, what + ": interrupted");
        }
    }

    private static String clip(String s) {
        String one = s.replaceAll("\\p{Cntrl}", " ");
        return one.length() > 80 ? one.substring(0, 80) + "..." : one;
    }

    private static final class TooLarge extends IOException {
        TooLarge(int max) {
            super("answer larger than " + max + " bytes");
        }
    }

    /** Collects a body of at most {@code max} bytes; a longer one fails (and the connection is dropped). */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedBody(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                if (out.size() + b.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge(max));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }

    @Override
    public synchronized void close() {
        if (http != null) http.shutdownNow();
    }
}

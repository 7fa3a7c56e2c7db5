package io.ggen.p2p.portmap;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * NAT-PMP (RFC 6886) against the gateway: the external address (opcode 0), then a TCP map
 * (opcode 2). An answer counts only when it is the response to what we asked (opcode + 128, our
 * internal port); a success that maps nothing (external port 0, lifetime 0, address 0.0.0.0)
 * is a lie and refused.
 */
public final class NatPmpClient implements MappingClient {
    private final InetAddress gateway;
    private final int tries;

    public NatPmpClient(InetAddress gateway, int tries) {
        this.gateway = gateway;
        this.tries = tries;
    }

    @Override
    public MappingMethod method() {
        return MappingMethod.NATPMP;
    }

    @Override
    public Granted map(int internalPort, int externalPort, long lifetimeSecs) throws PortMapException {
        if (lifetimeSecs == 0) throw new PortMapException(PortMapException.Kind.REFUSED, "NAT-PMP has no permanent mappings");
        Inet4Address external = externalAddress();
        NatPmpMessage.MapResponse r = request(new NatPmpMessage.MapRequest(NatPmpMessage.TCP, internalPort, externalPort, lifetimeSecs), internalPort);
        if (r.externalPort() == 0 || r.lifetimeSecs() == 0) {
            throw new PortMapException(PortMapException.Kind.MALFORMED, "NAT-PMP: the gateway answered success with external port " + r.externalPort() + " and lifetime " + r.lifetimeSecs());
        }
        return new Granted(external, r.externalPort(), Math.min(r.lifetimeSecs(), lifetimeSecs));
    }

    @Override
    public void unmap(PortMapping mapping) throws PortMapException {
        request(new NatPmpMessage.MapRequest(NatPmpMessage.TCP, mapping.internalPort(), 0, 0), mapping.internalPort());
    }

    private Inet4Address externalAddress() throws PortMapException {
        NatPmpMessage answer = GatewayUdp.exchange(gateway, NatPmpCodec.encode(new NatPmpMessage.ExternalAddressRequest()), tries, NatPmpCodec.MAX_SIZE,
                d -> decodeIf(d, m -> m instanceof NatPmpMessage.ExternalAddressResponse
                        || m instanceof NatPmpMessage.ErrorResponse e && e.opcode() == 128), "NAT-PMP external address");
        if (answer instanceof NatPmpMessage.ErrorResponse e) throw failure("external address", e);
        Inet4Address a = ((NatPmpMessage.ExternalAddressResponse) answer).address();
        if (a.isAnyLocalAddress()) throw new PortMapException(PortMapException.Kind.UNAVAILABLE, "NAT-PMP: the gateway has no external address (0.0.0.0)");
        return a;
    }

    private NatPmpMessage.MapResponse request(NatPmpMessage.MapRequest req, int internalPort) throws PortMapException {
        int opcode = 128 + req.protocol();
        NatPmpMessage answer = GatewayUdp.exchange(gateway, NatPmpCodec.encode(req), tries, NatPmpCodec.MAX_SIZE,
                d -> decodeIf(d, m -> m instanceof NatPmpMessage.MapResponse r && r.protocol() == req.protocol() && r.internalPort() == internalPort
                        || m instanceof NatPmpMessage.ErrorResponse e && e.opcode() == opcode), "NAT-PMP map");
        if (answer instanceof NatPmpMessage.ErrorResponse e) throw failure("map", e);
        return (NatPmpMessage.MapResponse) answer;
    }

    private static NatPmpMessage decodeIf(byte[] d, java.util.function.Predicate<NatPmpMessage> ours) {
        try {
            NatPmpMessage m = NatPmpCodec.decode(d);
            return ours.test(m) ? m : null;
        } catch (PortmapCodecException e) {
            return null;
        }
    }

    private static PortMapException failure(String what, NatPmpMessage.ErrorResponse e) {
        PortMapException.Kind kind = switch (e.resultCode()) {
            case 1, 5 -> PortMapException.Kind.UNAVAILABLE;
            default -> PortMapException.Kind.REFUSED;
        };
        String meaning = switch (e.resultCode()) {
            case 1 -> "unsupported version";
            case 2 -> "not authorized";
            case 3 -> "network failure";
            case 4 -> "out of resources";
            case 5 -> "unsupported opcode";
            default -> "result code " + e.resultCode();
        };
        return new PortMapException(kind, "NAT-PMP " + what + ": " + meaning);
    }
}

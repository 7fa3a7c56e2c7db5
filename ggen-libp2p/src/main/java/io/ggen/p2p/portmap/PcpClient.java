package io.ggen.p2p.portmap;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * PCP (RFC 6887) MAP requests for TCP against the gateway, with one nonce for this client's
 * life, so renewals and the delete (lifetime 0) name the same mapping. An answer counts only
 * when it carries our nonce, protocol and internal port; a NAT-PMP-only gateway answers with
 * version 0, which makes PCP unavailable here.
 */
public final class PcpClient implements MappingClient {
    private final InetAddress gateway;
    private final int tries;
    private final PcpMessage.Nonce nonce = PcpMessage.Nonce.random();

    public PcpClient(InetAddress gateway, int tries) {
        this.gateway = gateway;
        this.tries = tries;
    }

    @Override
    public MappingMethod method() {
        return MappingMethod.PCP;
    }

    @Override
    public Granted map(int internalPort, int externalPort, long lifetimeSecs) throws PortMapException {
        if (lifetimeSecs == 0) throw new PortMapException(PortMapException.Kind.REFUSED, "PCP has no permanent mappings");
        PcpMessage.MapResponse r = request(lifetimeSecs, internalPort, externalPort, PcpCodec.anyIpv4());
        if (r.assignedExternalPort() == 0 || r.lifetimeSecs() == 0 || !(r.assignedExternalAddress() instanceof Inet4Address a) || a.isAnyLocalAddress()) {
            throw new PortMapException(PortMapException.Kind.MALFORMED, "PCP: the gateway answered success with " + r.assignedExternalAddress().getHostAddress()
                    + ":" + r.assignedExternalPort() + " for " + r.lifetimeSecs() + " s");
        }
        return new Granted(r.assignedExternalAddress(), r.assignedExternalPort(), Math.min(r.lifetimeSecs(), lifetimeSecs));
    }

    @Override
    public void unmap(PortMapping mapping) throws PortMapException {
        request(0, mapping.internalPort(), mapping.externalPort(), mapping.externalAddress());
    }

    private PcpMessage.MapResponse request(long lifetime, int internalPort, int externalPort, InetAddress suggested) throws PortMapException {
        InetAddress client = GatewayUdp.localAddressTowards(gateway);
        PcpMessage.MapRequest req = new PcpMessage.MapRequest(lifetime, client, nonce, PcpMessage.TCP, internalPort, externalPort, suggested);
        Object answer = GatewayUdp.exchange(gateway, PcpCodec.encode(req), tries, PcpCodec.MAX_SIZE, d -> {
            if (d.length >= 4 && d[0] == 0) {
                // NAT-PMP's answer to a version it does not know: this gateway does not speak PCP
                return "version 0";
            }
            try {
                PcpMessage m = PcpCodec.decode(d);
                if (m instanceof PcpMessage.MapResponse r && r.nonce().equals(nonce) && r.protocol() == PcpMessage.TCP && r.internalPort() == internalPort) return r;
                if (m instanceof PcpMessage.HeaderResponse h && h.opcode() == PcpCodec.OPCODE_MAP && h.resultCode() != PcpCodec.SUCCESS) return h;
                return null;
            } catch (PortmapCodecException e) {
                return null;
            }
        }, "PCP map");
        if (answer instanceof String) throw new PortMapException(PortMapException.Kind.UNAVAILABLE, "PCP: the gateway speaks only NAT-PMP");
        int result = answer instanceof PcpMessage.MapResponse r ? r.resultCode() : ((PcpMessage.HeaderResponse) answer).resultCode();
        if (result != PcpCodec.SUCCESS) throw failure(result);
        return (PcpMessage.MapResponse) answer;
    }

    private static PortMapException failure(int result) {
        String meaning = switch (result) {
            case 1 -> "UNSUPP_VERSION";
            case 2 -> "NOT_AUTHORIZED";
            case 3 -> "MALFORMED_REQUEST";
            case 4 -> "UNSUPP_OPCODE";
            case 5 -> "UNSUPP_OPTION";
            case 6 -> "MALFORMED_OPTION";
            case 7 -> "NETWORK_FAILURE";
            case 8 -> "NO_RESOURCES";
            case 9 -> "UNSUPP_PROTOCOL";
            case 10 -> "USER_EX_QUOTA";
            case 11 -> "CANNOT_PROVIDE_EXTERNAL";
            case 12 -> "ADDRESS_MISMATCH";
            case 13 -> "EXCESSIVE_REMOTE_PEERS";
            default -> "result code " + result;
        };
        PortMapException.Kind kind = result == 1 || result == 4 ? PortMapException.Kind.UNAVAILABLE : PortMapException.Kind.REFUSED;
        return new PortMapException(kind, "PCP map: " + meaning);
    }
}

package io.ggen.p2p.discovery.mdns;

/** A DNS message that cannot be used: truncated, over a limit, a bad name or pointer. */
public class DnsException extends Exception {
    private static final long serialVersionUID = 1L;

    public DnsException(String message) {
        super(message);
    }
}

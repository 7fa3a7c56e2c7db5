package io.ggen.p2p.portmap;

/**
 * One way of asking the gateway for a TCP port mapping. Every call is bounded by the client's
 * deadlines and reports failure as a {@link PortMapException}, never as an unchecked exception.
 */
public interface MappingClient extends AutoCloseable {
    MappingMethod method();

    /**
     * Maps (or renews) TCP {@code internalPort} on us to {@code externalPort} on the gateway
     * (a suggestion the gateway may overrule) for {@code lifetimeSecs} (0: permanent).
     */
    Granted map(int internalPort, int externalPort, long lifetimeSecs) throws PortMapException;

    /** Removes {@code mapping}, made earlier by this client. */
    void unmap(PortMapping mapping) throws PortMapException;

    @Override
    default void close() {}
}

package io.ggen.p2p.core;

/**
 * Serves one inbound stream of a protocol. Runs on its own virtual thread, so blocking reads
 * and writes are fine; the stream is closed (or reset, if the handler threw) when it returns.
 */
@FunctionalInterface
public interface StreamHandler {
    void handle(Stream stream) throws Exception;
}

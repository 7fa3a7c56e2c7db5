package io.ggen.p2p.portmap;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * What to ask the gateway next for one TCP port, with no I/O and no clock of its own: the
 * driver asks {@link #next(Instant)} for a {@link Step}, carries it out, and reports the outcome
 * ({@link #mapped}, {@link #failed}, {@link #unmapped}).
 *
 * <p>The methods are tried in order until one maps; a method that is unavailable or refuses
 * passes to the next, and when all have failed the machine waits {@code retryAfter} and starts
 * over. A conflict (UPnP 718) tries another external port, up to {@code maxConflicts} times; a
 * router that takes only permanent leases (UPnP 725) is asked again with lease 0. A mapping is
 * renewed at half its lifetime (a permanent one at half the requested lease); a failed renewal
 * is retried at half the time left, and a mapping that expires unrenewed is dropped and the
 * search starts again. After {@link #stop()}, the mapping held, if any, is deleted, then the
 * machine is finished.
 */
public final class PortMappingMachine {
    /** What the driver does next. */
    public sealed interface Step {
        /** Map (or renew) with {@code method}. */
        record Map(MappingMethod method, int internalPort, int externalPort, long lifetimeSecs) implements Step {}

        /** Delete {@code mapping} (stopping). */
        record Unmap(PortMapping mapping) implements Step {}

        /** Nothing to do before {@code until}. */
        record Sleep(Instant until) implements Step {}

        /** Stopped, and nothing left to delete. */
        record Finished() implements Step {}
    }

    /** The shortest wait before a failed renewal is tried again. */
    static final Duration MIN_RENEW_RETRY = Duration.ofSeconds(5);

    private final List<MappingMethod> methods;
    private final int internalPort;
    private final long leaseSecs;
    private final Duration retryAfter;
    private final int maxConflicts;
    private final IntSupplier randomPort;

    private int methodIndex;
    private int suggestedPort;
    private long requestLifetime;
    private int conflicts;
    private PortMapping mapping;
    private Instant renewAt = Instant.MIN;
    private Instant retryAt = Instant.MIN;
    private boolean stopping;
    private boolean finished;
    private String lastFailure = "";

    /**
     * @param methods tried in this order
     * @param lease requested lifetime of a mapping
     * @param retryAfter wait after every method failed
     * @param maxConflicts other external ports tried after a conflict, per method
     * @param randomPort an external port to try after a conflict (1024..65535)
     */
    public PortMappingMachine(List<MappingMethod> methods, int internalPort, Duration lease, Duration retryAfter, int maxConflicts, IntSupplier randomPort) {
        if (methods.isEmpty()) throw new IllegalArgumentException("no mapping method");
        if (internalPort < 1 || internalPort > 65535) throw new IllegalArgumentException("internal port " + internalPort);
        if (lease.toSeconds() < 2) throw new IllegalArgumentException("lease of less than 2 s");
        this.methods = List.copyOf(methods);
        this.internalPort = internalPort;
        this.leaseSecs = lease.toSeconds();
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        this.maxConflicts = maxConflicts;
        this.randomPort = randomPort;
        this.suggestedPort = internalPort;
        this.requestLifetime = leaseSecs;
    }

    public synchronized Step next(Instant now) {
        if (finished) return new Step.Finished();
        if (mapping != null && !now.isBefore(mapping.expiresAt())) {
            lastFailure = "the " + mapping.method().wireName() + " mapping of " + mapping.external() + " expired before it was renewed";
            mapping = null;
            restart();
        }
        if (stopping) {
            if (mapping != null) return new Step.Unmap(mapping);
            finished = true;
            return new Step.Finished();
        }
        if (mapping != null) {
            if (now.isBefore(renewAt)) return new Step.Sleep(renewAt);
            return new Step.Map(mapping.method(), internalPort, mapping.externalPort(), mapping.permanent() ? 0 : requestLifetime);
        }
        if (now.isBefore(retryAt)) return new Step.Sleep(retryAt);
        return new Step.Map(methods.get(methodIndex), internalPort, suggestedPort, requestLifetime);
    }

    /** The last {@link Step.Map} succeeded. */
    public synchronized PortMapping mapped(Instant now, MappingMethod method, Granted g) {
        long lifetime = g.lifetimeSecs();
        Instant expires = lifetime == 0 ? Instant.MAX : now.plusSeconds(lifetime);
        mapping = new PortMapping(method, "tcp", internalPort, g.externalAddress(), g.externalPort(), lifetime, expires);
        long effective = lifetime == 0 ? leaseSecs : lifetime;
        renewAt = now.plusSeconds(Math.max(1, effective / 2));
        conflicts = 0;
        lastFailure = "";
        return mapping;
    }

    /** The last {@link Step.Map} failed. */
    public synchronized void failed(Instant now, PortMapException e) {
        lastFailure = e.getMessage();
        if (mapping != null) {
            Duration left = Duration.between(now, mapping.expiresAt());
            Duration wait = mapping.permanent() ? retryAfter : left.dividedBy(2);
            renewAt = now.plus(wait.compareTo(MIN_RENEW_RETRY) < 0 ? MIN_RENEW_RETRY : wait);
            return;
        }
        switch (e.kind()) {
            case CONFLICT -> {
                if (++conflicts <= maxConflicts) {
                    suggestedPort = randomPort.getAsInt();
                    return;
                }
                nextMethod(now);
            }
            case ONLY_PERMANENT_LEASES -> {
                if (requestLifetime != 0) {
                    requestLifetime = 0;
                    return;
                }
                nextMethod(now);
            }
            default -> nextMethod(now);
        }
    }

    private void nextMethod(Instant now) {
        conflicts = 0;
        suggestedPort = internalPort;
        requestLifetime = leaseSecs;
        if (++methodIndex >= methods.size()) {
            methodIndex = 0;
            retryAt = now.plus(retryAfter);
        }
    }

    private void restart() {
        methodIndex = 0;
        conflicts = 0;
        suggestedPort = internalPort;
        requestLifetime = leaseSecs;
        retryAt = Instant.MIN;
    }

    /** The last {@link Step.Unmap} was carried out (or failed: either way it is not retried). */
    public synchronized void unmapped() {
        mapping = null;
    }

    /** Delete what is mapped, then finish. */
    public synchronized void stop() {
        stopping = true;
    }

    public synchronized Optional<PortMapping> mapping() {
        return Optional.ofNullable(mapping);
    }

    /** Why the last attempt failed; empty after a success. */
    public synchronized String lastFailure() {
        return lastFailure;
    }
}

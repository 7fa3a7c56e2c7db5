package io.ggen.p2p.portmap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one TCP port mapped on the gateway for as long as it runs: a virtual thread carries out
 * what {@link PortMappingMachine} decides with the {@link MappingClient}s, and tells
 * {@code onChange} whenever the mapping appears, moves or goes. Every failure is one log line;
 * nothing here throws at the caller. {@link #close()} deletes the mapping, waiting at most
 * {@link PortMapperConfig#stopTimeout()}.
 */
public final class PortMapper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PortMapper.class);

    private final PortMapperConfig config;
    private final Map<MappingMethod, MappingClient> clients = new EnumMap<>(MappingMethod.class);
    private final Clock clock;
    private final Consumer<Optional<PortMapping>> onChange;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Failures logged at info once each; repeats go to debug. */
    private final Set<String> reported = new HashSet<>();
    private volatile PortMappingMachine machine;
    private volatile Thread thread;
    private volatile boolean stopRequested;
    private volatile Instant startedAt;

    public PortMapper(PortMapperConfig config, List<MappingClient> clients, Clock clock, Consumer<Optional<PortMapping>> onChange) {
        this.config = config;
        for (MappingClient c : clients) this.clients.put(c.method(), c);
        this.clock = clock;
        this.onChange = onChange;
    }

    /** A mapper for the default gateway with the configured methods; empty (and one log line) when there is no gateway. */
    public static Optional<PortMapper> forDefaultGateway(PortMapperConfig config, Consumer<Optional<PortMapping>> onChange) {
        Optional<Gateway> gw = Gateway.find();
        if (gw.isEmpty()) {
            log.info("port mapping: no IPv4 default gateway, nothing to map");
            return Optional.empty();
        }
        Gateway g = gw.get();
        List<MappingClient> clients = config.methods().stream().<MappingClient>map(m -> switch (m) {
            case PCP -> new PcpClient(g.address(), config.udpTries());
            case NATPMP -> new NatPmpClient(g.address(), config.udpTries());
            case UPNP -> new UpnpIgdClient(g, config.searchWait(), config.httpTimeout(), config.description());
        }).toList();
        log.debug("port mapping: gateway {} on {} ({}), methods {}", g.address().getHostAddress(), g.interfaceName(), g.localAddress().getHostAddress(), config.methods());
        return Optional.of(new PortMapper(config, clients, Clock.systemUTC(), onChange));
    }

    /** Starts mapping TCP {@code internalPort}. */
    public synchronized void start(int internalPort) {
        if (thread != null) throw new IllegalStateException("started already");
        machine = new PortMappingMachine(config.methods(), internalPort, config.lease(), config.retryAfter(), config.maxConflicts(),
                () -> ThreadLocalRandom.current().nextInt(1024, 65536));
        startedAt = clock.instant();
        thread = Thread.ofVirtual().name("ggen-portmap").start(this::run);
    }

    public Optional<PortMapping> mapping() {
        PortMappingMachine m = machine;
        return m == null ? Optional.empty() : m.mapping();
    }

    /** Why the last attempt failed, empty when the last one succeeded or none ran. */
    public String lastFailure() {
        PortMappingMachine m = machine;
        return m == null ? "" : m.lastFailure();
    }

    private void run() {
        PortMappingMachine m = machine;
        Optional<PortMapping> told = Optional.empty();
        while (true) {
            if (stopRequested) m.stop();
            Instant now = clock.instant();
            switch (m.next(now)) {
                case PortMappingMachine.Step.Map step -> {
                    MappingClient client = clients.get(step.method());
                    try {
                        Granted g = client.map(step.internalPort(), step.externalPort(), step.lifetimeSecs());
                        PortMapping p = m.mapped(clock.instant(), step.method(), g);
                        if (told.isEmpty() || !sameExternal(told.get(), p)) {
                            log.info("port mapping: {} maps {} to TCP port {} ({}, {} ms after start)", p.method().wireName(), p.external(), p.internalPort(),
                                    p.permanent() ? "permanent lease" : "lease " + p.lifetimeSecs() + " s", Duration.between(startedAt, clock.instant()).toMillis());
                        } else {
                            log.debug("port mapping: {} renewed {}", p.method().wireName(), p.external());
                        }
                        told = Optional.of(p);
                        onChange.accept(told);
                    } catch (PortMapException e) {
                        boolean had = m.mapping().isPresent();
                        m.failed(clock.instant(), e);
                        report(e);
                        if (had && m.mapping().isEmpty()) {
                            told = Optional.empty();
                            onChange.accept(told);
                        }
                    } catch (RuntimeException e) {
                        m.failed(clock.instant(), new PortMapException(PortMapException.Kind.MALFORMED, step.method().wireName() + ": " + e, e));
                        log.info("port mapping: {} failed: {}", step.method().wireName(), e.toString());
                    }
                }
                case PortMappingMachine.Step.Unmap step -> {
                    try {
                        clients.get(step.mapping().method()).unmap(step.mapping());
                        log.info("port mapping: {} mapping of {} deleted", step.mapping().method().wireName(), step.mapping().external());
                    } catch (PortMapException | RuntimeException e) {
                        log.info("port mapping: could not delete {} on the gateway: {}", step.mapping().external(), e.getMessage());
                    }
                    m.unmapped();
                    told = Optional.empty();
                    onChange.accept(told);
                }
                case PortMappingMachine.Step.Sleep step -> {
                    if (told.isPresent() && m.mapping().isEmpty()) {
                        told = Optional.empty();
                        onChange.accept(told);
                    }
                    sleepUntil(step.until());
                }
                case PortMappingMachine.Step.Finished f -> {
                    return;
                }
            }
        }
    }

    private static boolean sameExternal(PortMapping a, PortMapping b) {
        return a.method() == b.method() && a.externalAddress().equals(b.externalAddress()) && a.externalPort() == b.externalPort();
    }

    private void report(PortMapException e) {
        boolean first;
        synchronized (reported) {
            first = reported.size() < 64 && reported.add(e.getMessage());
        }
        if (first) log.info("port mapping: {}", e.getMessage());
        else log.debug("port mapping: {}", e.getMessage());
    }

    private void sleepUntil(Instant until) {
        lock.lock();
        try {
            while (!stopRequested) {
                long ms = Duration.between(clock.instant(), until).toMillis();
                if (ms <= 0) return;
                wake.await(ms, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            stopRequested = true;
        } finally {
            lock.unlock();
        }
    }

    /** Deletes the mapping (bounded by the stop timeout) and stops. */
    @Override
    public void close() {
        stopRequested = true;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        Thread t = thread;
        if (t != null) {
            try {
                if (!t.join(config.stopTimeout())) log.info("port mapping: the gateway did not answer the delete within {} s", config.stopTimeout().toSeconds());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (MappingClient c : clients.values()) c.close();
    }
}

package io.ggen.p2p.core;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, typed event bus: subscribers choose the {@link Event} types they want and receive
 * them in the order they were published, one at a time, on a (virtual) thread of the bus, never
 * on the publisher's thread.
 *
 * <p>Each subscriber has its own queue of {@link #bufferSize} events. {@link #publish} never
 * blocks: it only offers the event to the queues of the subscribers of its type. When a
 * subscriber's queue is full (it is slower than the events come), the new event is dropped for
 * that subscriber alone, counted in {@link Subscription#dropped()} and {@link #dropped()}, and
 * logged; the host and the other subscribers go on. So a slow or stuck subscriber costs at most
 * its queue, never the host's progress. Handlers should still be quick, and hand long work
 * (dials, lookups) to their own threads. A handler that throws is logged; delivery goes on.
 */
public final class EventBus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);
    public static final int DEFAULT_BUFFER = 1024;

    private final int bufferSize;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ggen-events-", 0).factory());
    private final List<Sub> subs = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private volatile boolean closed;

    public EventBus() {
        this(DEFAULT_BUFFER);
    }

    public EventBus(int bufferSize) {
        if (bufferSize < 1) throw new IllegalArgumentException("bufferSize must be positive");
        this.bufferSize = bufferSize;
    }

    /** Subscribes to one event type. */
    public <E extends Event> Subscription subscribe(Class<E> type, Consumer<? super E> handler) {
        Objects.requireNonNull(handler, "handler");
        return subscribe(type.getSimpleName(), e -> handler.accept(type.cast(e)), Set.of(type));
    }

    /**
     * Subscribes to several event types with one queue, so that their relative order is kept
     * (e.g. a connection's opened, identified and closed events).
     */
    public Subscription subscribe(String name, Consumer<? super Event> handler, Set<Class<? extends Event>> types) {
        Objects.requireNonNull(handler, "handler");
        if (types.isEmpty()) throw new IllegalArgumentException("no event types");
        Sub s = new Sub(name, handler, Set.copyOf(types));
        if (closed) {
            s.closed = true;
            return s;
        }
        subs.add(s);
        return s;
    }

    /** Queues {@code event} for every subscriber of its type; never blocks. */
    public void publish(Event event) {
        Objects.requireNonNull(event, "event");
        if (closed) return;
        published.incrementAndGet();
        for (Sub s : subs) {
            if (s.wants(event)) s.offer(event);
        }
    }

    /** Events dropped, across all subscribers, because a subscriber's queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Events published since the bus started. */
    public long published() {
        return published.get();
    }

    /** Subscribers now. */
    public int subscribers() {
        return subs.size();
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** Stops delivery to everyone; later publishes are ignored. */
    @Override
    public void close() {
        closed = true;
        for (Sub s : subs) s.close();
        executor.shutdown();
    }

    private final class Sub implements Subscription {
        private final String name;
        private final Consumer<? super Event> handler;
        private final Set<Class<? extends Event>> types;
        private final ArrayBlockingQueue<Event> queue = new ArrayBlockingQueue<>(bufferSize);
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final AtomicLong lost = new AtomicLong();
        private volatile boolean closed;

        Sub(String name, Consumer<? super Event> handler, Set<Class<? extends Event>> types) {
            this.name = name;
            this.handler = handler;
            this.types = types;
        }

        boolean wants(Event e) {
            if (closed) return false;
            for (Class<? extends Event> t : types) if (t.isInstance(e)) return true;
            return false;
        }

        void offer(Event e) {
            if (!queue.offer(e)) {
                lost.incrementAndGet();
                dropped.incrementAndGet();
                log.warn("event subscriber {} is {} events behind; dropped {}", name, bufferSize, e.getClass().getSimpleName());
                return;
            }
            schedule();
        }

        private void schedule() {
            if (closed || !scheduled.compareAndSet(false, true)) return;
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException ex) {
                scheduled.set(false);
            }
        }

        /** Delivers what is queued, in order; only one drain runs at a time per subscriber. */
        private void drain() {
            try {
                for (Event e; !closed && (e = queue.poll()) != null; ) {
                    try {
                        handler.accept(e);
                    } catch (RuntimeException | StackOverflowError ex) {
                        log.warn("event subscriber {} failed on {}", name, e.getClass().getSimpleName(), ex);
                    }
                }
            } finally {
                scheduled.set(false);
                if (!closed && !queue.isEmpty()) schedule();
            }
        }

        @Override
        public long dropped() {
            return lost.get();
        }

        @Override
        public int queued() {
            return queue.size();
        }

        @Override
        public void close() {
            closed = true;
            subs.remove(this);
            queue.clear();
        }

        @Override
        public String toString() {
            return "Subscription[" + name + " " + types.stream().map(Class::getSimpleName).sorted().toList() + "]";
        }
    }
}

package io.ggen.cli.testing;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Connects from this JVM to a TCP port inside a network namespace: a node's control API listens
 * on 127.0.0.1 of its own namespace, which no socket made in ours can reach. A network namespace
 * belongs to a thread ({@code setns(2)} moves only the caller), and a socket to the namespace of
 * the thread that made it, so one platform thread per namespace enters it once and makes every
 * socket for it; the sockets are then used from any thread. Virtual threads cannot do this (they
 * change carriers). Needs CAP_SYS_ADMIN (root), as the labs do anyway.
 */
public final class Netns implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    /**
     * {@code open}, {@code setns} and {@code close} of the C library through the foreign function
     * API, reached by reflection: the project compiles for Java 21, where that API is a preview,
     * while it is final (and these tests run) on 22 and later. Null when this JVM lacks it.
     */
    private record Libc(MethodHandle open, MethodHandle setns, MethodHandle close, Object arena, Method allocateFrom) {}

    private static final Libc LIBC = libc();

    private static Libc libc() {
        try {
            Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
            Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueC = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descC = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> segmentC = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
            Object linker = linkerC.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerC.getMethod("defaultLookup").invoke(linker);
            Object jint = valueC.getField("JAVA_INT").get(null);
            Object address = valueC.getField("ADDRESS").get(null);
            Method of = descC.getMethod("of", layoutC, layoutC.arrayType());
            Method find = lookupC.getMethod("find", String.class);
            Method downcall = linkerC.getMethod("downcallHandle", segmentC, descC, optionC.arrayType());
            Object noOptions = Array.newInstance(optionC, 0);
            java.util.function.BiFunction<String, Object[], MethodHandle> handle = (name, args) -> {
                try {
                    Object params = Array.newInstance(layoutC, args.length);
                    for (int i = 0; i < args.length; i++) Array.set(params, i, args[i]);
                    Object symbol = ((java.util.Optional<?>) find.invoke(lookup, name)).orElseThrow();
                    return (MethodHandle) downcall.invoke(linker, symbol, of.invoke(null, jint, params), noOptions);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
            Class<?> arenaC = Class.forName("java.lang.foreign.Arena");
            Object arena = arenaC.getMethod("global").invoke(null);
            Method allocateFrom = Class.forName("java.lang.foreign.SegmentAllocator").getMethod("allocateFrom", String.class);
            return new Libc(handle.apply("open", new Object[] {address, jint}), handle.apply("setns", new Object[] {jint, jint}),
                    handle.apply("close", new Object[] {jint}), arena, allocateFrom);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Whether this JVM can enter a namespace (Java 22 or later). */
    public static boolean supported() {
        return LIBC != null;
    }

    public final String name;
    private final ExecutorService thread;

    /** A connector into namespace {@code name} (as {@code ip netns add} made it, under /var/run/netns). */
    public Netns(String name) throws IOException {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("netns-" + name).factory());
        call(() -> {
            enter("/var/run/netns/" + name);
            return null;
        });
    }

    private static void enter(String path) throws IOException {
        if (LIBC == null) throw new IOException("this JVM has no foreign function API (Java 22 or later is needed to enter a namespace)");
        try {
            int fd = (int) LIBC.open().invokeWithArguments(LIBC.allocateFrom().invoke(LIBC.arena(), path), O_RDONLY_CLOEXEC);
            if (fd < 0) throw new IOException("cannot open " + path);
            int rc = (int) LIBC.setns().invokeWithArguments(fd, CLONE_NEWNET);
            LIBC.close().invokeWithArguments(fd);
            if (rc != 0) throw new IOException("setns " + path + " failed (CAP_SYS_ADMIN is needed)");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("setns " + path, t);
        }
    }

    private interface Task<T> {
        T run() throws IOException;
    }

    private <T> T call(Task<T> task) throws IOException {
        Future<T> f = thread.submit(task::run);
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IOException("namespace " + name + ": no answer in 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A socket connected to {@code 127.0.0.1:port} inside this namespace. */
    public Socket connectLoopback(int port, int timeoutMillis) throws IOException {
        return call(() -> {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
                return s;
            } catch (IOException e) {
                s.close();
                throw e;
            }
        });
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

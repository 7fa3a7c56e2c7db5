package io.ggen.p2p.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a namespaces lab has to undo, in the order it must be undone: the processes it started
 * inside its namespaces (stopped first, or they keep a namespace's network alive), then
 * whatever else it was given to close (delay shims, threads entered into a namespace), then the
 * namespaces themselves, newest first (deleting one removes its links and rules).
 *
 * <p>{@link #close} does this; a shutdown hook does the same when the JVM ends before the lab is
 * closed (Ctrl-C of a long run, a test timeout that kills the fork), and {@link #close} removes
 * the hook again. Shared by the NAT lab, the chaos lab and the port-mapping lab.
 */
public final class LabNamespaces implements AutoCloseable {
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    public final String prefix;
    private final Duration termGrace;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Thread hook;

    private LabNamespaces(String prefix, Duration termGrace) {
        this.prefix = prefix;
        this.termGrace = termGrace;
        this.hook = new Thread(this::undo, prefix + "-cleanup");
    }

    /**
     * An empty lab whose namespaces are named {@code prefix-...}. Its processes get SIGTERM and
     * {@code termGrace} to end before SIGKILL; {@link Duration#ZERO}: SIGKILL at once.
     */
    public static LabNamespaces create(String prefix, Duration termGrace) {
        if (!prefix.matches("[a-z0-9]{1,8}(-[a-z0-9]{1,8})?")) throw new IllegalArgumentException("a lab prefix is one or two short lowercase words joined by '-', got " + prefix);
        LabNamespaces lab = new LabNamespaces(prefix, termGrace);
        Runtime.getRuntime().addShutdownHook(lab.hook);
        return lab;
    }

    /** Adds namespace {@code prefix-tag} with its loopback up; its name. */
    public String add(String tag) throws IOException, InterruptedException {
        String ns = prefix + "-" + tag;
        sh("ip", "netns", "add", ns);
        synchronized (this) {
            namespaces.add(ns);
        }
        sh("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** How many namespaces the lab has made. */
    public synchronized int size() {
        return namespaces.size();
    }

    /** A process living in the lab's namespaces: stopped before they go. */
    public synchronized Process own(Process p) {
        processes.removeIf(q -> !q.isAlive());
        processes.add(p);
        return p;
    }

    /** Something to close after the processes and before the namespaces (a delay shim, a namespace connector). */
    public synchronized <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    private synchronized void undo() {
        boolean gently = !termGrace.isZero();
        for (Process p : processes) {
            if (gently) p.destroy();
            else p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                if (gently && !p.waitFor(termGrace.toMillis(), TimeUnit.MILLISECONDS)) p.destroyForcibly();
                p.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // its namespace goes next and takes what it held with it
            }
        }
        closeables.clear();
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                sh("ip", "netns", "delete", namespaces.get(i));
            } catch (IOException | InterruptedException e) {
                // already gone
            }
        }
        namespaces.clear();
    }

    @Override
    public void close() {
        undo();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and runs the hook itself
        }
    }

    /** Runs a command to completion (30 s at most); its output, or an IOException with the output when it fails. */
    public static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + text.strip());
        return text;
    }
}

package io.ggen.p2p.lab.netdelay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Latency on one direction of a lab link: the {@code lab/netdelay} shim (C, libnetfilter_queue)
 * running in a network namespace on one NFQUEUE queue, and the iptables rule that sends the
 * link's packets to it. The shim is compiled from source on first use into the repository's
 * {@code target/netdelay/<source hash>/}, so an edited source is rebuilt and an unchanged one is not.
 *
 * <p>{@link #ingress} delays what arrives through an interface before conntrack sees it (raw
 * PREROUTING): the place to use on a lab link, and on a NAT router's public side, where a packet
 * then waits "in the network", after the sender's NAT mapping was made and before the
 * receiver's conntrack looks it up. {@link #egress} delays what leaves (mangle POSTROUTING); on
 * the sending host a held packet still counts against its socket's TCP Small Queues budget, so
 * TCP slows down far beyond the delay, and on a NAT router it holds a connection's first packet
 * while its mapping is unconfirmed (lab/netdelay/README.md has the numbers).
 *
 * <p>The rule uses {@code --queue-bypass}: once the shim is gone, packets pass undelayed rather
 * than being dropped. {@link #stop} (or {@link #close}) removes the rule and stops the shim (SIGTERM); the shim also
 * stops when this JVM dies, because its standard input (a pipe from us) closes.
 */
public final class NetDelay implements AutoCloseable {
    private static final String SOURCE = "lab/netdelay/netdelay.c";
    /** The shim's own default: enough for a few MiB in flight on a lab link. */
    public static final int DEFAULT_MAX_PACKETS = 4096;
    private static final Duration READY_WITHIN = Duration.ofSeconds(10);

    private final String netns;
    private final List<String> rule;
    private final Process process;
    private final CompletableFuture<String> stopped;
    private boolean closed;

    private NetDelay(String netns, List<String> rule, Process process, CompletableFuture<String> stopped) {
        this.netns = netns;
        this.rule = rule;
        this.process = process;
        this.stopped = stopped;
    }

    /** Why the shim cannot be built here (no gcc, no libnetfilter_queue headers, no source), or empty when it can. */
    public static Optional<String> unavailable() {
        if (sourceFile().isEmpty()) return Optional.of("the netdelay shim's source " + SOURCE + " is not above " + System.getProperty("user.dir"));
        if (!onPath("gcc")) return Optional.of("the netdelay shim needs gcc (apt-get install gcc)");
        if (!Files.isRegularFile(Path.of("/usr/include/libnetfilter_queue/libnetfilter_queue.h"))) {
            return Optional.of("the netdelay shim needs libnetfilter_queue (apt-get install libnetfilter-queue-dev)");
        }
        return Optional.empty();
    }

    /** Delays packets leaving {@code netns} through {@code iface}. */
    public static NetDelay egress(String netns, String iface, int queue, Duration delay, Duration jitter) throws IOException, InterruptedException {
        return egress(netns, iface, queue, delay, jitter, DEFAULT_MAX_PACKETS);
    }

    /** As {@link #egress(String, String, int, Duration, Duration)}, holding at most {@code maxPackets} at once (beyond that they pass at once, counted as overflowed). */
    public static NetDelay egress(String netns, String iface, int queue, Duration delay, Duration jitter, int maxPackets) throws IOException, InterruptedException {
        return start(netns, List.of("-t", "mangle", "POSTROUTING", "-o", iface), queue, delay, jitter, maxPackets);
    }

    /** Delays packets arriving in {@code netns} through {@code iface}, before conntrack and NAT see them; {@code match} narrows the rule (iptables match arguments). */
    public static NetDelay ingress(String netns, String iface, int queue, Duration delay, Duration jitter, String... match) throws IOException, InterruptedException {
        List<String> where = new ArrayList<>(List.of("-t", "raw", "PREROUTING", "-i", iface));
        where.addAll(List.of(match));
        return start(netns, where, queue, delay, jitter, DEFAULT_MAX_PACKETS);
    }

    /** {@code where} is: -t TABLE CHAIN then match arguments. */
    private static NetDelay start(String netns, List<String> where, int queue, Duration delay, Duration jitter, int maxPackets) throws IOException, InterruptedException {
        Path binary = binary();
        List<String> cmd = List.of("ip", "netns", "exec", netns, binary.toString(), "--queue", Integer.toString(queue),
                "--delay", millis(delay), "--jitter", millis(jitter), "--max-packets", Integer.toString(maxPackets), "--stdin-eof");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = new CompletableFuture<>();
        CompletableFuture<String> stopped = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            StringBuilder all = new StringBuilder();
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    all.append(l).append('\n');
                    if (l.startsWith("ready ")) ready.complete(l);
                    if (l.startsWith("stopped ")) stopped.complete(l);
                }
            } catch (IOException e) {
                // the shim is gone; what it said so far is reported below
            }
            ready.complete(null);
            stopped.complete("no counters; the shim said: " + all.toString().strip());
        });
        String line;
        try {
            line = ready.get(READY_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            line = null;
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IOException("the netdelay shim did not start in " + netns + ": " + stopped.getNow("(no output yet)"));
        }
        List<String> rule = new ArrayList<>(List.of("ip", "netns", "exec", netns, "iptables", where.get(0), where.get(1), "-A", where.get(2)));
        rule.addAll(where.subList(3, where.size()));
        rule.addAll(List.of("-j", "NFQUEUE", "--queue-num", Integer.toString(queue), "--queue-bypass"));
        NetDelay d = new NetDelay(netns, rule, p, stopped);
        try {
            run(rule);
        } catch (IOException | InterruptedException e) {
            d.close();
            throw e;
        }
        return d;
    }

    /**
     * Removes the rule and stops the shim; returns its counters line ({@code stopped delayed=N
     * overflowed=N ...}). Safe to call twice, and after the namespace is gone.
     */
    public synchronized String stop() {
        if (!closed) {
            closed = true;
            List<String> delete = new ArrayList<>(rule);
            delete.set(delete.indexOf("-A"), "-D");
            try {
                run(delete);
            } catch (IOException | InterruptedException e) {
                // the namespace, and the rule with it, is already gone
            }
            // SIGTERM through the handle: Process.destroy() would also close our end of its stdout before the counters are read
            process.toHandle().destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            return stopped.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted before the shim's counters arrived";
        } catch (ExecutionException | TimeoutException e) {
            return "the shim's counters did not arrive: " + e;
        }
    }

    /** {@link #stop}, for try-with-resources. */
    @Override
    public void close() {
        stop();
    }

    /** The exit code of the shim once it has stopped. */
    public int exitValue() {
        return process.exitValue();
    }

    /** The netns the shim runs in. */
    public String netns() {
        return netns;
    }

    /** The compiled shim, building it when this source has not been built before. */
    public static synchronized Path binary() throws IOException, InterruptedException {
        Path source = sourceFile().orElseThrow(() -> new IOException(unavailable().orElse(SOURCE + " not found")));
        byte[] text = Files.readAllBytes(source);
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        Path root = source.getParent().getParent().getParent();
        Path dir = root.resolve("target").resolve("netdelay").resolve(hash);
        Path binary = dir.resolve("netdelay");
        if (Files.isExecutable(binary)) return binary;
        Files.createDirectories(dir);
        // another JVM may build the same source at the same time: each writes its own file and renames it into place
        Path tmp = Files.createTempFile(dir, "netdelay-", ".tmp");
        run(List.of("gcc", "-O2", "-Wall", "-o", tmp.toString(), source.toString(), "-lnetfilter_queue", "-lnfnetlink"));
        Files.move(tmp, binary, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return binary;
    }

    private static Optional<Path> sourceFile() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SOURCE);
            if (Files.isRegularFile(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    private static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e6);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out.strip());
    }
}

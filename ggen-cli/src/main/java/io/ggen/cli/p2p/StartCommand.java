package io.ggen.cli.p2p;

import io.ggen.cli.CliErrors;
import io.ggen.cli.CliErrors.UserError;
import io.ggen.cli.Version;
import io.ggen.cli.node.DataDir;
import io.ggen.cli.node.IdentityFile;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.host.Connection;
import io.ggen.p2p.host.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.HostException;
import io.ggen.p2p.multiformats.Multiaddr;
import io.ggen.p2p.multiformats.MultiformatException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start a marketplace node in the foreground; Ctrl-C stops it.",
        footer = {"", "Examples:",
                "  ggen marketplace p2p start",
                "  ggen marketplace p2p start --listen /ip4/0.0.0.0/tcp/4001 --bootstrap /ip4/10.0.0.5/tcp/4001/p2p/12D3KooW..."})
public final class StartCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "<multiaddr>", description = "Address to listen on (repeatable; default /ip4/0.0.0.0/tcp/0, a random port).")
    List<String> listen = new ArrayList<>();

    @Option(names = "--bootstrap", paramLabel = "<multiaddr>", description = "Peer to connect to at start, with /p2p/<peer id> (repeatable).")
    List<String> bootstrap = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<Multiaddr> listenAddrs = parseAll("--listen", listen.isEmpty() ? List.of("/ip4/0.0.0.0/tcp/0") : listen);
        List<Multiaddr> bootstrapAddrs = parseAll("--bootstrap", bootstrap);
        for (Multiaddr b : bootstrapAddrs) {
            if (b.peerId().isEmpty()) throw new UserError("--bootstrap " + b + ": needs /p2p/<peer id> at the end", CliErrors.USAGE);
        }
        DataDir dir = DataDir.fromEnvironment();
        PrivateKey key = IdentityFile.loadOrCreate(dir);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Starting P2P node...");
        out.flush();
        Host host;
        try {
            host = Host.start(HostConfig.defaults(key).withListenAddrs(listenAddrs).withAgentVersion("ggen/" + Version.get()));
        } catch (HostException e) {
            throw new UserError(e.getMessage() + " (choose another --listen address or port)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            host.close();
            stopped.countDown();
        }, "ggen-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("P2P node started successfully");
        out.println("Peer ID: " + host.peerId());
        out.println("Listening on:");
        for (Multiaddr a : host.listenAddrs()) out.println("  " + a.withPeerId(host.peerId()));
        out.flush();
        int connected = 0;
        for (Multiaddr b : bootstrapAddrs) {
            try {
                Connection c = host.dial(b).get(20, TimeUnit.SECONDS);
                connected++;
                out.println("Connected to " + c.remotePeer() + " at " + c.remoteAddr());
            } catch (Exception e) {
                out.println("Could not connect to " + b + ": " + rootMessage(e));
            }
            out.flush();
        }
        if (!bootstrapAddrs.isEmpty()) out.println("Connected to " + connected + " bootstrap nodes");
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return CliErrors.OK;
    }

    static List<Multiaddr> parseAll(String flag, List<String> texts) {
        List<Multiaddr> out = new ArrayList<>();
        for (String t : texts) {
            try {
                Multiaddr a = Multiaddr.fromString(t.trim());
                if (flag.equals("--listen") && a.toTcpSocketAddress().isEmpty()) {
                    throw new UserError(flag + " " + t + ": only /ip4/<ip>/tcp/<port> and /ip6/<ip>/tcp/<port> can be listened on", CliErrors.USAGE);
                }
                out.add(a);
            } catch (MultiformatException e) {
                throw new UserError(flag + " " + t + ": not a valid multiaddr (" + e.getMessage() + "); example: /ip4/127.0.0.1/tcp/4001", CliErrors.USAGE);
            }
        }
        return out;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.util.concurrent.ExecutionException || t instanceof java.util.concurrent.CompletionException)) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}

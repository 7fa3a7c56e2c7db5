package io.ggen.cli.bench;

import io.ggen.cli.testing.NatLab;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Hole punching in the NAT lab, {@code trials} times per NAT kind of router A (router B is always
 * endpoint-independent): a relay, a target behind router A and a dialer behind router B (each a
 * {@link HolePunchProbe} process in its namespace). Prints, per kind, the share of trials that
 * ended direct and how many of those on DCUtR's first attempt (the rounds the dialer had
 * answered when the direct connection came), the time from the relayed connection to the direct one (median, p95; in ms
 * and in relay round trips), and for the trials that stayed relayed, whether the relayed
 * connection still worked. The lab's public links have their delay ({@link NatLab#PUBLIC_DELAY}).
 * Run by {@code bench/nat.sh}.
 */
public final class HolePunchBench {
    private HolePunchBench() {}

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        String classpath = System.getProperty("java.class.path");
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<NatLab.NatKind> kinds = args.length > 1
                ? java.util.Arrays.stream(args[1].split(",")).map(NatLab.NatKind::valueOf).toList()
                : List.of(NatLab.NatKind.ENDPOINT_INDEPENDENT, NatLab.NatKind.ADDRESS_DEPENDENT_FILTERING, NatLab.NatKind.SYMMETRIC);
        for (NatLab.NatKind kind : kinds) {
            try (NatLab lab = NatLab.create(kind, NatLab.NatKind.ENDPOINT_INDEPENDENT)) {
                List<Process> procs = new ArrayList<>();
                try {
                    Process relay = probe(procs, javaBin, classpath, lab.pub, "relay", "/ip4/" + NatLab.RELAY_IP + "/tcp/4001");
                    String relayAddr = "/ip4/" + NatLab.RELAY_IP + "/tcp/4001/p2p/" + ready(reader(relay));
                    Process target = probe(procs, javaBin, classpath, lab.homeA, "target", "/ip4/0.0.0.0/tcp/4001", relayAddr);
                    String targetId = ready(reader(target));
                    Process dialer = probe(procs, javaBin, classpath, lab.homeB, "dialer", relayAddr, targetId, Integer.toString(trials));
                    List<String> lines = new ArrayList<>();
                    BufferedReader r = new BufferedReader(new InputStreamReader(dialer.getInputStream(), StandardCharsets.UTF_8));
                    String l;
                    while ((l = r.readLine()) != null) {
                        if (l.startsWith("TRIAL")) {
                            lines.add(l);
                            System.err.println(kind + " " + l);
                        }
                    }
                    report(kind, trials, lines);
                } finally {
                    procs.forEach(Process::destroy);
                    for (Process p : procs) if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
                }
            }
        }
    }

    private static Process probe(List<Process> procs, String javaBin, String cp, String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, javaBin, "-XX:TieredStopAtLevel=1", "-cp", cp, HolePunchProbe.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        procs.add(p);
        return p;
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String ready(BufferedReader r) throws Exception {
        String l = r.readLine();
        if (l == null || !l.startsWith("READY ")) throw new IllegalStateException("probe did not start: " + l);
        return l.substring(6).trim();
    }

    private static void report(NatLab.NatKind kind, int trials, List<String> lines) throws java.io.IOException {
        List<Double> ms = new ArrayList<>();
        List<Double> rtts = new ArrayList<>();
        List<Double> relayRtts = new ArrayList<>();
        int direct = 0, relayedOk = 0, relayed = 0, errors = 0, firstAttempt = 0, laterAttempt = 0, unknownAttempt = 0;
        for (String l : lines) {
            if (l.contains(" error ")) {
                errors++;
                continue;
            }
            double toDirect = field(l, "to_direct_ms");
            double rtt = field(l, "relay_rtt_ms");
            relayRtts.add(rtt);
            if (l.contains(" direct ")) {
                direct++;
                ms.add(toDirect);
                rtts.add(toDirect / rtt);
                double rounds = field(l, "rounds");
                if (Double.isNaN(rounds)) unknownAttempt++;
                else if (rounds <= 1) firstAttempt++;
                else laterAttempt++;
            } else {
                relayed++;
                if (l.contains("fallback_ok=true")) relayedOk++;
            }
        }
        ms.sort(null);
        rtts.sort(null);
        relayRtts.sort(null);
        System.out.printf(Locale.ROOT, "%s: %d trials, %d direct (%.1f%%), %d stayed relayed (%d of them still working through the relay), %d errors%n",
                kind, lines.size(), direct, 100.0 * direct / Math.max(1, lines.size()), relayed, relayedOk, errors);
        System.out.printf(Locale.ROOT, "  direct on DCUtR's first attempt: %d of %d (%.1f%%); on a later attempt: %d; round count missing: %d%n",
                firstAttempt, direct, 100.0 * firstAttempt / Math.max(1, direct), laterAttempt, unknownAttempt);
        if (!relayRtts.isEmpty()) {
            System.out.printf(Locale.ROOT, "  ping over the relayed connection: median %.1f ms, p95 %.1f ms%n", pct(relayRtts, 50), pct(relayRtts, 95));
        }
        if (!ms.isEmpty()) {
            System.out.printf(Locale.ROOT, "  relayed -> direct: median %.1f ms, p95 %.1f ms; in relay round trips: median %.0f, p95 %.0f%n",
                    pct(ms, 50), pct(ms, 95), pct(rtts, 50), pct(rtts, 95));
        }
        var fields = new java.util.LinkedHashMap<String, Object>();
        fields.put("bench", "holepunch");
        fields.put("kind", kind.name());
        fields.put("trials", lines.size());
        fields.put("direct", direct);
        fields.put("directPercent", 100.0 * direct / Math.max(1, lines.size()));
        fields.put("firstAttempt", firstAttempt);
        fields.put("relayed", relayed);
        fields.put("relayedWorking", relayedOk);
        fields.put("errors", errors);
        fields.put("toDirectMedianMs", ms.isEmpty() ? Double.NaN : pct(ms, 50));
        fields.put("toDirectP95Ms", ms.isEmpty() ? Double.NaN : pct(ms, 95));
        BenchJson.append(fields);
    }

    private static double field(String line, String name) {
        for (String part : line.split(" ")) if (part.startsWith(name + "=")) return Double.parseDouble(part.substring(name.length() + 1));
        return Double.NaN;
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}

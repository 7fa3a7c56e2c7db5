package io.ggen.bench.marketplace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * This process's CPU time split by what its threads do, from {@code /proc/self/task/<tid>/stat}:
 * the JIT's compiler threads, the VM thread (where the serial collector runs), Netty's event loops
 * (TCP, Noise, Yamux), the fork-join workers (signature checks of a page; carriers of virtual
 * threads) and the rest. The kernel keeps a thread's name to 15 characters, which is enough to
 * tell these apart. A thread that ends between two snapshots takes its time with it; that part
 * shows as "ended threads" (process total minus the threads still alive).
 */
final class ThreadCpu {
    private final Map<Integer, Long> ticksByTid;
    private final Map<Integer, String> nameByTid;
    private final long processTicks;

    private ThreadCpu(Map<Integer, Long> ticksByTid, Map<Integer, String> nameByTid, long processTicks) {
        this.ticksByTid = ticksByTid;
        this.nameByTid = nameByTid;
        this.processTicks = processTicks;
    }

    static ThreadCpu snapshot() throws IOException {
        Map<Integer, Long> ticks = new HashMap<>();
        Map<Integer, String> names = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    int tid = Integer.parseInt(t.getFileName().toString());
                    ticks.put(tid, userPlusSystemTicks(stat));
                    names.put(tid, stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while the directory was read
                }
            }
        }
        return new ThreadCpu(ticks, names, processTicks());
    }

    static long processTicks() throws IOException {
        return userPlusSystemTicks(Files.readString(Path.of("/proc/self/stat")));
    }

    /** utime + stime of a {@code stat} line of /proc; the fields after the name (which may hold spaces) start after the last ')'. */
    static long userPlusSystemTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
    }

    /** What each group of threads spent between {@code before} and this snapshot, in seconds, largest first. */
    Map<String, Double> since(ThreadCpu before) {
        Map<String, Long> byGroup = new HashMap<>();
        long alive = 0;
        for (Map.Entry<Integer, Long> e : ticksByTid.entrySet()) {
            long spent = e.getValue() - before.ticksByTid.getOrDefault(e.getKey(), 0L);
            alive += spent;
            if (spent > 0) byGroup.merge(group(nameByTid.get(e.getKey())), spent, Long::sum);
        }
        long ended = processTicks - before.processTicks - alive;
        if (ended > 0) byGroup.merge("ended threads", ended, Long::sum);
        Map<String, Double> out = new LinkedHashMap<>();
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue() / (double) CatalogBench.CLOCK_TICKS));
        return out;
    }

    static String group(String name) {
        if (name.startsWith("C2 Compiler")) return "JIT C2";
        if (name.startsWith("C1 Compiler")) return "JIT C1";
        if (name.equals("VM Thread")) return "VM thread (serial GC)";
        if (name.startsWith("multiThreadIoEv")) return "event loops (TCP/Noise/Yamux)";
        if (name.startsWith("ForkJoinPool.co")) return "common pool";
        if (name.startsWith("ForkJoinPool-")) return "virtual-thread carriers (sync: page checks and stores)";
        if (name.equals("java") || name.equals("main")) return "main";
        return "other";
    }

    static String format(Map<String, Double> groups) {
        StringBuilder sb = new StringBuilder();
        groups.forEach((g, s) -> sb.append(sb.isEmpty() ? "" : ", ").append(g).append(' ').append(CatalogBench.num(s, 2)));
        return sb.toString();
    }
}

package io.ggen.cli.chaos;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Diagnostic commands ({@code jcmd}) run in a node's JVM from the lab's own JVM through the
 * attach API, and the parsers of their output. In-process because the soak asks every node a
 * few times a minute, and a {@code jcmd} process is a JVM start (about half a CPU-second) each
 * time on a machine the soak already loads.
 *
 * <p>The attach API's public face has no "run a diagnostic command"; HotSpot's implementation
 * class has it ({@code executeJCmd}), reached by reflection: the JVM running this needs
 * {@code --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED} (the build's failsafe options).
 */
final class JvmProbe {
    private JvmProbe() {}

    /** Runs {@code command} (e.g. {@code GC.heap_info}) in the JVM of process {@code pid}; its output. */
    static String jcmd(long pid, String command) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to " + pid + ": " + e.getMessage(), e);
        }
        try {
            Method execute = vm.getClass().getMethod("executeJCmd", String.class);
            try (InputStream in = (InputStream) execute.invoke(vm, command)) {
                // Whole-buffer reads only: the attach socket's stream fails (JDK 25.0.3) on the
                // partial-buffer reads that readAllBytes makes once its first buffer is nearly full.
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf, 0, buf.length)) > 0; ) out.write(buf, 0, n);
                return out.toString(StandardCharsets.UTF_8);
            }
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(command + " in " + pid + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("jcmd through the attach API is not reachable (is jdk.attach/sun.tools.attach exported to this module?): " + e, e);
        } finally {
            vm.detach();
        }
    }

    /** Heap in use and committed, from {@code GC.heap_info} (every generation's "total ..K, used ..K"). */
    record Heap(long usedKib, long committedKib) {}

    private static final Pattern GENERATION = Pattern.compile("(?m)^\\s*\\S.*?\\s+total (\\d+)K, used (\\d+)K");

    static Heap heap(String heapInfo) {
        long used = 0, committed = 0;
        boolean any = false;
        for (Matcher m = GENERATION.matcher(heapInfo); m.find(); ) {
            committed += Long.parseLong(m.group(1));
            used += Long.parseLong(m.group(2));
            any = true;
        }
        if (!any) throw new IllegalArgumentException("no generation in GC.heap_info output: " + firstLines(heapInfo));
        return new Heap(used, committed);
    }

    /**
     * {@code VM.native_memory summary}: committed KiB by category ("Java Heap", "Class",
     * "Thread", "Code", "Other" (direct buffers and Unsafe allocations), ...), plus "Total" and
     * "Metaspace used" (metadata and class space in use).
     */
    static Map<String, Long> nativeMemory(String summary) {
        Map<String, Long> out = new LinkedHashMap<>();
        Matcher total = Pattern.compile("(?m)^Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(summary);
        if (!total.find()) throw new IllegalArgumentException("no Total in VM.native_memory output (is -XX:NativeMemoryTracking=summary set?): " + firstLines(summary));
        out.put("Total", Long.parseLong(total.group(1)));
        for (Matcher m = Pattern.compile("(?m)^-\\s+(\\S.*?) \\(reserved=\\d+KB, committed=(\\d+)KB").matcher(summary); m.find(); ) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        long metaspaceUsed = 0;
        for (Matcher m = Pattern.compile("(?m)^\\s*\\(\\s+used=(\\d+)KB\\)").matcher(summary); m.find(); ) metaspaceUsed += Long.parseLong(m.group(1));
        out.put("Metaspace used", metaspaceUsed);
        Matcher classes = Pattern.compile("\\(classes #(\\d+)\\)").matcher(summary);
        if (classes.find()) out.put("Classes", Long.parseLong(classes.group(1)));
        Matcher instances = Pattern.compile("\\(\\s*instance classes #(\\d+)").matcher(summary);
        if (instances.find()) out.put("Instance classes", Long.parseLong(instances.group(1)));
        return out;
    }

    /**
     * Performance counters of the JVM of process {@code pid} (its hsperfdata, e.g.
     * {@code sun.ci.totalCompiles}), those of {@code names} it has, as whole numbers. Read with
     * the JDK's jvmstat API, as {@code jstat} does ({@code jcmd PerfCounter.print} is not a
     * diagnostic command the JVM runs, but the jcmd tool reading the same file), reached by
     * reflection: the JVM running this needs {@code --add-exports
     * jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED} (the build's test options).
     */
    static Map<String, Long> perfCounters(long pid, java.util.Collection<String> names) throws IOException {
        try {
            Class<?> hostClass = Class.forName("sun.jvmstat.monitor.MonitoredHost");
            Class<?> idClass = Class.forName("sun.jvmstat.monitor.VmIdentifier");
            Class<?> vmClass = Class.forName("sun.jvmstat.monitor.MonitoredVm");
            Object host = hostClass.getMethod("getMonitoredHost", String.class).invoke(null, "localhost");
            Object vm = hostClass.getMethod("getMonitoredVm", idClass).invoke(host, idClass.getConstructor(String.class).newInstance(Long.toString(pid)));
            try {
                Method find = vmClass.getMethod("findByName", String.class);
                Method value = Class.forName("sun.jvmstat.monitor.Monitor").getMethod("getValue");
                Map<String, Long> out = new LinkedHashMap<>();
                for (String name : names) {
                    Object monitor = find.invoke(vm, name);
                    if (monitor != null && value.invoke(monitor) instanceof Number n) out.put(name, n.longValue());
                }
                return out;
            } finally {
                vmClass.getMethod("detach").invoke(vm);
            }
        } catch (InvocationTargetException e) {
            throw new IOException("performance counters of " + pid + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("jvmstat is not reachable (is jdk.internal.jvmstat/sun.jvmstat.monitor exported to this module?): " + e, e);
        }
    }

    /** One class's line of a histogram. */
    record ClassCount(long instances, long bytes) {}

    /**
     * A live-object histogram ({@code GC.class_histogram}, which runs a full collection first):
     * class name to count; the generated part of hidden classes' names ({@code /0x...}) is
     * dropped so that the same lambda or proxy has the same name in two JVMs. The key
     * {@code "Total"} holds the whole live heap.
     */
    static Map<String, ClassCount> histogram(String out) {
        Map<String, ClassCount> classes = new LinkedHashMap<>();
        Pattern line = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
        boolean total = false;
        for (String l : out.split("\n")) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                String name = m.group(3).replaceAll("/0x[0-9a-f]+", "");
                ClassCount c = new ClassCount(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
                classes.merge(name, c, (a, b) -> new ClassCount(a.instances() + b.instances(), a.bytes() + b.bytes()));
            } else if (l.startsWith("Total")) {
                String[] f = l.trim().split("\\s+");
                classes.put("Total", new ClassCount(Long.parseLong(f[1]), Long.parseLong(f[2])));
                total = true;
            }
        }
        if (!total) throw new IllegalArgumentException("no Total in GC.class_histogram output: " + firstLines(out));
        return classes;
    }

    private static String firstLines(String s) {
        return s.lines().limit(3).toList().toString();
    }
}

package io.ggen.p2p.portmap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Run inside the lab's home namespace by {@link PortMapLabTest}: listens on TCP {@code port},
 * maps it with the one method named for {@code leaseSecs}, prints {@code mapped <method> <ip:port>
 * <lifetime> <ms>} (milliseconds since the mapper started) when the mapping appears and each
 * time it is renewed, {@code none} when it goes, and answers each accepted connection
 * with "hello"; stdin closing stops it (which deletes the mapping) and prints {@code stopped}.
 */
public final class PortMapProbe {
    public static void main(String[] args) throws Exception {
        MappingMethod method = MappingMethod.valueOf(args[0]);
        int port = Integer.parseInt(args[1]);
        Duration lease = Duration.ofSeconds(Long.parseLong(args[2]));
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(port));
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try (Socket s = server.accept()) {
                        s.getOutputStream().write("hello\n".getBytes());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            PortMapperConfig config = PortMapperConfig.defaults().withMethods(List.of(method)).withLease(lease);
            long[] started = new long[1];
            PortMapper mapper = PortMapper.forDefaultGateway(config, m -> print(m, started[0])).orElseThrow();
            started[0] = System.nanoTime();
            mapper.start(port);
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
            mapper.close();
            System.out.println("stopped cpu_ms=" + ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L));
            System.out.flush();
        }
    }

    private static void print(Optional<PortMapping> m, long started) {
        System.out.println(m.map(p -> "mapped " + p.method().wireName() + " " + p.external() + " " + p.lifetimeSecs() + " "
                + (System.nanoTime() - started) / 1_000_000).orElse("none"));
        System.out.flush();
    }
}

package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.testing.Ggen;
import io.ggen.node.api.ApiServer;
import io.ggen.node.home.DataDir;
import io.ggen.node.home.NodeInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The control API and its client against what is not our node: another program on the port, a rebound DNS name, a slow client. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ControlApiSecurityIT {
    static final String TOKEN = "5e".repeat(32);

    @TempDir
    Path tmp;

    final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : running) c.close();
    }

    /**
     * Another program listening on a port: it records every byte it is sent and answers any
     * request as a web server would, with a 200 and a body that is no proof of anything.
     */
    static final class OtherProgram implements AutoCloseable {
        final ServerSocket server;
        final StringBuffer received = new StringBuffer();
        final Thread acceptor;

        OtherProgram() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> serve(s));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(Socket s) {
            try (s) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                StringBuilder mine = new StringBuilder();
                byte[] buf = new byte[4096];
                int n;
                int answered = 0;
                while ((n = in.read(buf)) > 0) {
                    String got = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                    received.append(got);
                    mine.append(got);
                    // one answer per request head seen
                    int heads = mine.toString().split("\r\n\r\n", -1).length - 1;
                    for (; answered < heads; answered++) {
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: 64\r\n\r\n" + "0".repeat(64)).getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
            } catch (IOException ignored) {
                // the client went away or went quiet
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** A data directory as a node killed by kill -9 leaves it, whose node.json now names a live pid and the other program's port. */
    private Path staleHome(OtherProgram other) throws IOException {
        Path h = Files.createDirectories(tmp.resolve("stale"));
        Files.writeString(h.resolve("api.token"), TOKEN + "\n");
        Files.setPosixFilePermissions(h.resolve("api.token"), PosixFilePermissions.fromString("rw-------"));
        // the pid of a live process that is not a node: this test's own JVM
        new NodeInfo(ProcessHandle.current().pid(), other.port(), "12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D", List.of(), 0, "0").write(DataDir.of(h));
        return h;
    }

    @Test
    void aStaleNodeJsonWhosePidAndPortAreTakenGetsNoToken() throws Exception {
        try (OtherProgram other = new OtherProgram()) {
            Path h = staleHome(other);
            // nobody holds the node lock: no node runs, whatever node.json says
            Ggen.Result status = Ggen.at(h).run("marketplace", "p2p", "status");
            assertThat(status.exit()).as(status.toString()).isEqualTo(1);
            assertThat(status.out()).contains("not running");
            Ggen.Result peers = Ggen.at(h).run("marketplace", "p2p", "peer-list");
            assertThat(peers.exit()).as(peers.toString()).isEqualTo(1);
            assertThat(peers.err()).startsWith("error: no node is running");
            assertThat(other.received.toString()).doesNotContain(TOKEN).doesNotContain("Authorization");

            // something holds the lock (a node starting, say), yet the program on the port is not it
            try (FileChannel ch = FileChannel.open(h.resolve("node.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = ch.lock()) {
                for (String[] args : List.of(new String[] {"marketplace", "p2p", "status"}, new String[] {"marketplace", "p2p", "peer-list"},
                        new String[] {"marketplace", "p2p", "stop"})) {
                    Ggen.Result r = Ggen.at(h).run(args);
                    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
                    assertThat(r.err()).startsWith("error: the program listening on 127.0.0.1:" + other.port())
                            .contains("did not prove it is this data directory's node").contains("the API token was not sent");
                    assertThat(r.err().lines().count()).isEqualTo(1);
                }
            }
            assertThat(other.received.toString()).contains("GET /v1/challenge?nonce=").doesNotContain(TOKEN).doesNotContain("Authorization");
        }
    }

    static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theNodeAnswersOnlyToLoopbackNamesAndCutsOffSlowRequests() throws Exception {
        Path h = Files.createDirectories(tmp.resolve("node"));
        Ggen.Running node = Ggen.at(h).startNode();
        running.add(node);
        JsonNode info = Ggen.JSON.readTree(h.resolve("node.json").toFile());
        int port = info.path("api_port").asInt();
        String token = Files.readString(h.resolve("api.token")).trim();

        // our client proves the node and talks to it
        Ggen.Result status = Ggen.at(h).run("marketplace", "p2p", "status", "--format", "json");
        assertThat(status.exit()).as(status.toString()).isZero();
        assertThat(status.json().path("peer_id").asText()).isEqualTo(node.peerId);

        String asLoopback = raw(port, "GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");
        assertThat(asLoopback).startsWith("HTTP/1.1 200");
        // DNS rebinding: a page at rebind.example, its name now resolving to 127.0.0.1, with the token even
        String rebound = raw(port, "GET /v1/status HTTP/1.1\r\nHost: rebind.example:" + port + "\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n");
        assertThat(rebound).startsWith("HTTP/1.1 403").contains("Host header 'rebind.example:" + port + "'").doesNotContain("peer_id");
        String challenge = raw(port, "GET /v1/challenge?nonce=" + "1".repeat(64) + " HTTP/1.1\r\nHost: rebind.example:" + port + "\r\nConnection: close\r\n\r\n");
        assertThat(challenge).startsWith("HTTP/1.1 403");

        // half a request: the node closes it, it does not wait minutes
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            int patience = ApiServer.REQUEST_READ_TIMEOUT_SECONDS + 20;
            s.setSoTimeout(patience * 1000);
            s.getOutputStream().write(("GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nX-Unfinished: ")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(Ggen.at(h).run("marketplace", "p2p", "status").exit()).as("others are served meanwhile").isZero();
            int read;
            try {
                read = s.getInputStream().read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the node kept a half-sent request open for " + patience + " s", e);
            } catch (IOException reset) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
        }
    }
}

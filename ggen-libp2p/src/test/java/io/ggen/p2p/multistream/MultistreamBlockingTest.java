package io.ggen.p2p.multistream;

import static io.ggen.p2p.multistream.MultistreamNegotiatorTest.concat;
import static io.ggen.p2p.multistream.MultistreamNegotiatorTest.msgs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MultistreamBlockingTest {
    static final String HEADER = MultistreamCodec.PROTOCOL_ID;

    @Test
    void selectAndRespondAgreeOverPipesAndLeaveTheProtocolBytesUnread() throws Exception {
        PipedInputStream aIn = new PipedInputStream(4096);
        PipedInputStream bIn = new PipedInputStream(4096);
        OutputStream aOut = new PipedOutputStream(bIn);
        OutputStream bOut = new PipedOutputStream(aIn);
        try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<String> responder = CompletableFuture.supplyAsync(() -> {
                try {
                    String p = Multistream.respond(bIn, bOut, Set.of("/ggen/fetch/1.0.0"));
                    bOut.write("hello".getBytes());
                    bOut.flush();
                    return p + ":" + new String(bIn.readNBytes(4));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, exec);
            String selected = Multistream.select(aIn, aOut, List.of("/ggen/fetch/2.0.0", "/ggen/fetch/1.0.0"));
            assertThat(selected).isEqualTo("/ggen/fetch/1.0.0");
            aOut.write("data".getBytes());
            aOut.flush();
            assertThat(new String(aIn.readNBytes(5))).isEqualTo("hello");
            assertThat(responder.get(5, TimeUnit.SECONDS)).isEqualTo("/ggen/fetch/1.0.0:data");
        }
    }

    @Test
    void respondReadsExactlyTheNegotiation() throws Exception {
        byte[] app = {42, 43, 44};
        ByteArrayInputStream in = new ByteArrayInputStream(concat(msgs(HEADER, "/x", "/y"), app));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Multistream.respond(in, out, Set.of("/y"))).isEqualTo("/y");
        assertThat(in.readAllBytes()).isEqualTo(app);
        assertThat(out.toByteArray()).isEqualTo(msgs(HEADER, "na", "/y"));
    }

    @Test
    void pipelinedAnswersLeaveInOneWrite() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(msgs(HEADER, "/y"));
        List<Integer> writes = new java.util.ArrayList<>();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
            }
        };
        Multistream.respond(in, out, Set.of("/y"));
        assertThat(writes).containsExactly(msgs(HEADER, "/y").length);
    }

    @Test
    void selectReadsExactlyTheNegotiation() throws Exception {
        byte[] app = {1, 2};
        ByteArrayInputStream in = new ByteArrayInputStream(concat(msgs(HEADER, "na", "/b"), app));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Multistream.select(in, out, List.of("/a", "/b"))).isEqualTo("/b");
        assertThat(in.readAllBytes()).isEqualTo(app);
        assertThat(out.toByteArray()).isEqualTo(msgs(HEADER, "/a", "/b"));
    }

    @Test
    void failuresAreProtocolNegotiationExceptions() {
        assertThatThrownBy(() -> Multistream.select(new ByteArrayInputStream(msgs(HEADER, "na")), OutputStream.nullOutputStream(), List.of("/a")))
                .isInstanceOf(ProtocolNegotiationException.class).hasMessageContaining("none of");
        assertThatThrownBy(() -> Multistream.select(new ByteArrayInputStream(msgs(HEADER)), OutputStream.nullOutputStream(), List.of("/a")))
                .isInstanceOf(ProtocolNegotiationException.class).hasMessageContaining("ended");
        assertThatThrownBy(() -> Multistream.respond(new ByteArrayInputStream(new byte[] {(byte) 0xff, (byte) 0xff, 0x7f}), OutputStream.nullOutputStream(), Set.of("/a")))
                .isInstanceOf(ProtocolNegotiationException.class).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> Multistream.respond(InputStream.nullInputStream(), OutputStream.nullOutputStream(), Set.of("/a")))
                .isInstanceOf(ProtocolNegotiationException.class);
    }

    @Test
    void listsTheResponderProtocols() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        byte[] answer = concat(msgs(HEADER), MultistreamCodec.encodeListResponse(List.of("/a/1", "/b/2")));
        List<String> listed = Multistream.list(new ByteArrayInputStream(answer), sent, MultistreamConfig.DEFAULT);
        assertThat(listed).containsExactly("/a/1", "/b/2");
        assertThat(sent.toByteArray()).isEqualTo(msgs(HEADER, "ls"));
        assertThatThrownBy(() -> Multistream.list(new ByteArrayInputStream(msgs(HEADER, "na")), sent, MultistreamConfig.DEFAULT))
                .isInstanceOf(ProtocolNegotiationException.class).hasMessageContaining("ls");
    }

    @Test
    void listThenSelectOnTheSameStreamAgainstOurResponder() throws Exception {
        PipedInputStream aIn = new PipedInputStream(4096);
        PipedInputStream bIn = new PipedInputStream(4096);
        OutputStream aOut = new PipedOutputStream(bIn);
        OutputStream bOut = new PipedOutputStream(aIn);
        try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
            var responder = exec.submit(() -> Multistream.respond(bIn, bOut, List.of("/p/1", "/p/2")));
            assertThat(Multistream.list(aIn, aOut, MultistreamConfig.DEFAULT)).containsExactly("/p/1", "/p/2");
            assertThat(Multistream.select(aIn, aOut, List.of("/p/2"))).isEqualTo("/p/2");
            assertThat(responder.get(5, TimeUnit.SECONDS)).isEqualTo("/p/2");
        }
    }
}

package io.ggen.p2p.pubsub.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.fuzz.FuzzInput;
import io.ggen.p2p.pubsub.MessageIdFunction;
import io.ggen.p2p.pubsub.PubsubMessage;
import io.ggen.p2p.pubsub.RpcCodec;
import io.ggen.p2p.pubsub.ValidationResult;
import io.ggen.p2p.pubsub.pb.PubsubProto;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Every gossipsub RPC (subscriptions, messages, IHAVE, IWANT, GRAFT, PRUNE with PX, IDONTWANT),
 * decoded within the limits and then handled by a {@link GossipRouter} with four peers, as the
 * stream reader does. Input: {@code [tag][length][body]}..., where the tag picks the sender, how
 * far the clock moves, whether a heartbeat runs, and whether the body is a raw RPC or a message
 * (topic byte, data) the harness signs as the sender, so the fuzzer also reaches validation,
 * delivery, forwarding and gossip. The contract: nothing escapes the router; whatever it sends
 * decodes within our own limits (what a peer would accept); only correctly signed messages are
 * delivered; the mesh stays within D_hi after each heartbeat.
 */
class GossipsubFuzzTest {
    private static final String[] TOPICS = {"/ggen/packages/v1", "t"};
    private static final Ed25519PrivateKey[] KEYS = new Ed25519PrivateKey[5];
    private static final PeerId[] IDS = new PeerId[5];
    static {
        for (int i = 0; i < KEYS.length; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) (i + 1);
            KEYS[i] = Ed25519PrivateKey.fromSeed(seed);
            IDS[i] = PeerId.fromPublicKey(KEYS[i].publicKey());
        }
    }

    @FuzzTest
    void rpc(byte[] input) {
        try {
            PubsubProto.RPC rpc = RpcCodec.decode(input, GossipsubConfig.defaults().maxRpcSize());
            for (PubsubProto.Message m : rpc.getPublishList()) {
                try {
                    PubsubMessage verified = RpcCodec.verify(m);
                    assertThat(verified.topic()).isEqualTo(m.getTopic());
                } catch (RpcCodec.RpcException unsigned) {
                    // StrictSign refuses it
                }
            }
        } catch (RpcCodec.RpcException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void router(byte[] input) throws UnknownHostException {
        GossipsubConfig config = GossipsubConfig.defaults();
        List<PubsubProto.RPC> sent = new ArrayList<>();
        List<PubsubMessage> delivered = new ArrayList<>();
        GossipRouter router = new GossipRouter(config, PeerScoreParams.defaults(), PeerScoreThresholds.defaults(), IDS[0], KEYS[0],
                MessageIdFunction.FROM_AND_SEQNO, new GossipRouter.Output() {
                    @Override
                    public void send(PeerId to, PubsubProto.RPC rpc) {
                        sent.add(rpc);
                    }

                    @Override
                    public void deliver(PubsubMessage message, PeerId receivedFrom) {
                        delivered.add(message);
                    }
                });
        for (String t : TOPICS) {
            router.addValidator(t, (from, m) -> CompletableFuture.completedFuture(
                    m.data().length == 0 ? ValidationResult.IGNORE : ValidationResult.values()[(m.data()[0] & 0xff) % 3]));
        }
        long now = 1_000_000;
        for (int i = 1; i < IDS.length; i++) {
            router.addPeer(IDS[i], i == 4 ? GossipsubConfig.MESHSUB_1_0 : GossipsubConfig.MESHSUB_1_2, i % 2 == 0,
                    InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) i}));
        }
        router.subscribe(TOPICS[0], now);
        FuzzInput in = new FuzzInput(input);
        long seqno = 0;
        while (in.hasMore()) {
            int tag = in.tag();
            byte[] body = in.body();
            PeerId from = IDS[1 + (tag & 3)];
            now += ((tag >>> 2) & 7) * 250L;
            PubsubProto.RPC rpc;
            if ((tag & 0x20) != 0 && body.length > 0) {
                // a message the sender signs: topic picked by the first byte, the rest is data
                String topic = TOPICS[body[0] & 1];
                byte[] data = java.util.Arrays.copyOfRange(body, 1, body.length);
                Ed25519PrivateKey author = KEYS[(body[0] >>> 1) & 3];
                PeerId authorId = PeerId.fromPublicKey(author.publicKey());
                rpc = PubsubProto.RPC.newBuilder().addPublish(RpcCodec.sign(author, authorId, ++seqno, topic, data)).build();
            } else {
                try {
                    rpc = RpcCodec.decode(body, config.maxRpcSize());
                } catch (RpcCodec.RpcException e) {
                    router.penalise(from, 10);
                    continue;
                }
            }
            router.handle(from, rpc, now);
            if ((tag & 0x40) != 0) {
                router.heartbeat(now);
                for (String t : TOPICS) assertThat(router.meshPeers(t)).hasSizeLessThanOrEqualTo(config.dHi());
            }
            if ((tag & 0x80) != 0) router.publish(TOPICS[tag & 1], body, now);
        }
        for (PubsubProto.RPC out : sent) {
            try {
                RpcCodec.decode(out.toByteArray(), config.maxRpcSize());
            } catch (RpcCodec.RpcException e) {
                throw new AssertionError("the router sent an RPC our own decoder refuses: " + e.getMessage(), e);
            }
        }
        for (PubsubMessage m : delivered) {
            assertThat(m.signature()).isNotNull();
            assertThat(m.from()).isNotNull();
        }
    }
}

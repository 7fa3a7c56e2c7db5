package io.ggen.p2p.kad;

import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validators and selectors by record namespace, the first path segment of the key
 * ({@code /pk/...} -> {@code pk}). A key in no registered namespace is refused, as libp2p nodes
 * do. {@code pk} is built in: the value is a public key and the key names its peer id.
 */
public final class Namespaces {
    public record Rules(RecordValidator validator, RecordSelector selector) {}

    private final Map<String, Rules> rules = new ConcurrentHashMap<>();

    public Namespaces() {
        register("pk", Namespaces::validatePublicKey, RecordSelector.FIRST);
    }

    public void register(String namespace, RecordValidator validator, RecordSelector selector) {
        if (namespace.isEmpty() || namespace.contains("/")) throw new IllegalArgumentException("a namespace is one path segment");
        rules.put(namespace, new Rules(validator, selector));
    }

    /** The namespace of a key: the text between the first and second '/'. */
    public static Optional<String> namespaceOf(byte[] key) {
        if (key.length < 3 || key[0] != '/') return Optional.empty();
        int end = -1;
        for (int i = 1; i < key.length; i++) {
            if (key[i] == '/') {
                end = i;
                break;
            }
        }
        if (end <= 1) return Optional.empty();
        return Optional.of(new String(key, 1, end - 1, StandardCharsets.UTF_8));
    }

    public Rules rulesFor(byte[] key) throws KadException {
        String ns = namespaceOf(key).orElseThrow(() -> new KadException("record key has no /namespace/ prefix"));
        Rules r = rules.get(ns);
        if (r == null) throw new KadException("no validator for record namespace '" + ns + "'");
        return r;
    }

    public void validate(byte[] key, byte[] value) throws KadException {
        rulesFor(key).validator().validate(key, value);
    }

    private static void validatePublicKey(byte[] key, byte[] value) throws KadException {
        byte[] idBytes = Arrays.copyOfRange(key, 4, key.length);
        PeerId id;
        PublicKey pk;
        try {
            id = PeerId.fromBytes(idBytes);
            pk = Keys.unmarshalPublic(value);
        } catch (IllegalArgumentException e) {
            throw new KadException("/pk/ record: " + e.getMessage());
        }
        if (!id.matches(pk)) throw new KadException("/pk/ record: the key does not belong to " + id);
    }
}

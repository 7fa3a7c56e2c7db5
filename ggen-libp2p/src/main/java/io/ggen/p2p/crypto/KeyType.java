package io.ggen.p2p.crypto;

/** Key types of the libp2p peer-ids spec, with their protobuf enum numbers. */
public enum KeyType {
    RSA(0),
    ED25519(1),
    SECP256K1(2),
    ECDSA(3);

    private final int number;

    KeyType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public static KeyType fromNumber(int n) {
        for (KeyType t : values()) if (t.number == n) return t;
        throw new InvalidKeyException("unknown key type " + n);
    }
}

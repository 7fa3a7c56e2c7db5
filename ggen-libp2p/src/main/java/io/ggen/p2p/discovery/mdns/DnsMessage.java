package io.ggen.p2p.discovery.mdns;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The part of a DNS message (RFC 1035) that mDNS discovery needs: header id and QR bit,
 * questions, answers and additional records (the authority section is read past and dropped).
 */
public record DnsMessage(int id, boolean response, List<Question> questions, List<ResourceRecord> answers, List<ResourceRecord> additionals) {
    public static final int TYPE_A = 1;
    public static final int TYPE_PTR = 12;
    public static final int TYPE_TXT = 16;
    public static final int TYPE_AAAA = 28;
    public static final int TYPE_SRV = 33;
    public static final int TYPE_ANY = 255;
    public static final int CLASS_IN = 1;

    public DnsMessage {
        if (id < 0 || id > 0xffff) throw new IllegalArgumentException("id is 16 bits");
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        additionals = List.copyOf(additionals);
    }

    /** A question: a name and a type (class IN). */
    public record Question(String name, int type) {
        public Question {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A record: name, type, time to live, and its data. */
    public record ResourceRecord(String name, int type, long ttl, Data data) {
        public ResourceRecord {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(data, "data");
        }
    }

    /** Record data: the kinds we read, and the bytes of the rest. */
    public sealed interface Data {}

    /** PTR: the name pointed to. */
    public record Ptr(String target) implements Data {
        public Ptr {
            Objects.requireNonNull(target, "target");
        }
    }

    /** TXT: its character strings (each at most 255 bytes). */
    public record Txt(List<String> strings) implements Data {
        public Txt {
            strings = List.copyOf(strings);
            for (String s : strings) {
                if (s.getBytes(StandardCharsets.UTF_8).length > 255) throw new IllegalArgumentException("a TXT string is at most 255 bytes");
            }
        }
    }

    /** Any other record's data, as bytes. */
    public record Raw(byte[] bytes) implements Data {
        public Raw {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Raw r && Arrays.equals(r.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}

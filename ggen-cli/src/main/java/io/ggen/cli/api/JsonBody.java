package io.ggen.cli.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A request body as a flat JSON object, written with jackson-core's streaming generator: the
 * short commands send their requests without loading jackson-databind. Null values are left out
 * (the node's request records take a missing field as null).
 */
public final class JsonBody {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private final JsonGenerator gen;

    private JsonBody() {
        try {
            gen = FACTORY.createGenerator(bytes);
            gen.writeStartObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonBody object() {
        return new JsonBody();
    }

    public JsonBody put(String name, String value) {
        try {
            if (value != null) gen.writeStringField(name, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public JsonBody put(String name, Number value) {
        try {
            if (value instanceof Integer i) gen.writeNumberField(name, i);
            else if (value instanceof Long l) gen.writeNumberField(name, l);
            else if (value != null) gen.writeNumberField(name, value.doubleValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public JsonBody put(String name, boolean value) {
        try {
            gen.writeBooleanField(name, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public JsonBody put(String name, List<String> values) {
        try {
            gen.writeArrayFieldStart(name);
            for (String v : values) gen.writeString(v);
            gen.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public byte[] bytes() {
        try {
            gen.writeEndObject();
            gen.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}

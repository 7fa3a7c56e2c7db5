package io.ggen.node.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** JSON and YAML output of a JSON tree, as the command line and the node's rendered answers print it. */
public final class Output {
    private Output() {}

    /** Prints {@code tree} as indented JSON or as YAML (the YAML mapper is loaded only when asked for: it is slow to start). */
    public static void print(JsonNode tree, OutputFormat format, PrintWriter out) {
        try {
            if (format == OutputFormat.yaml) {
                ObjectMapper yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()
                        .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
                out.print(yaml.writeValueAsString(tree));
            } else {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    /** A duration in seconds as people read it: {@code 42s}, {@code 3m 5s}, {@code 2h 10m}, {@code 1d 4h}. */
    public static String duration(long secs) {
        if (secs < 60) return secs + "s";
        if (secs < 3600) return secs / 60 + "m " + secs % 60 + "s";
        if (secs < 86400) return secs / 3600 + "h " + secs % 3600 / 60 + "m";
        return secs / 86400 + "d " + secs % 86400 / 3600 + "h";
    }
}

package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ggen.cli.node.DataDir;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared plumbing of the p2p commands: the data directory and JSON/YAML output. */
public abstract class P2pSubcommand implements Callable<Integer> {
    public enum Format { table, json, yaml }

    @Spec
    CommandSpec spec;

    DataDir dataDir() {
        return DataDir.fromEnvironment();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints a JSON tree as JSON or YAML (the YAML mapper is loaded only when asked for: it is slow to start). */
    void print(JsonNode tree, Format format) {
        print(tree, format, out());
    }

    static void print(JsonNode tree, Format format, PrintWriter out) {
        try {
            if (format == Format.yaml) {
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

    static String duration(long secs) {
        if (secs < 60) return secs + "s";
        if (secs < 3600) return secs / 60 + "m " + secs % 60 + "s";
        if (secs < 86400) return secs / 3600 + "h " + secs % 3600 / 60 + "m";
        return secs / 86400 + "d " + secs % 86400 / 3600 + "h";
    }
}

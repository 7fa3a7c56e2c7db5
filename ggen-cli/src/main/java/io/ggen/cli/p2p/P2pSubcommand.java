package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.node.home.DataDir;
import io.ggen.node.render.Output;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared plumbing of the p2p commands: the data directory and JSON/YAML output. */
public abstract class P2pSubcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    DataDir dataDir() {
        return DataDir.fromEnvironment();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints a JSON tree as JSON or YAML. */
    void print(JsonNode tree, OutputFormat format) {
        Output.print(tree, format, out());
    }

    static void print(JsonNode tree, OutputFormat format, PrintWriter out) {
        Output.print(tree, format, out);
    }

    static String duration(long secs) {
        return Output.duration(secs);
    }
}

package io.ggen.cli.marketplace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.error.MarketplaceException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Shared plumbing of the marketplace commands: the data directory, {@code --format}, and the
 * translation of marketplace errors into one line and an exit code (2 for usage errors, 1 for
 * everything else), never a stack trace.
 */
abstract class MarketplaceSubcommand implements Callable<Integer> {
    enum Format { table, json, yaml }

    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    @Override
    public final Integer call() throws Exception {
        try {
            return execute();
        } catch (MarketplaceException e) {
            throw CliErrors.of(e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("no such file or directory: " + e.getFile());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new UserError("already exists: " + e.getFile());
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UserError("permission denied: " + e.getFile());
        } catch (java.io.IOException e) {
            throw new UserError("I/O error: " + e.getMessage());
        }
    }

    abstract int execute() throws Exception;

    MarketplaceHome home() {
        return MarketplaceHome.fromEnvironment();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints data as JSON or YAML, or runs the table printer. */
    void emit(Object data, Runnable table) {
        try {
            switch (format) {
                case json -> out().println(JSON.writeValueAsString(data));
                case yaml -> out().print(YAML.writeValueAsString(data));
                case table -> table.run();
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out().flush();
    }

    static String time(long millis) {
        return millis == 0 ? "" : Instant.ofEpochMilli(millis).toString();
    }

    static String shorten(String s, int max) {
        if (s == null) return "";
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }

    /** A plain text table: columns padded to the widest cell. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        Table row(Object... cells) {
            String[] r = new String[cells.length];
            for (int i = 0; i < cells.length; i++) r[i] = cells[i] == null ? "" : cells[i].toString();
            rows.add(r);
            return this;
        }

        int size() {
            return rows.size() - 1;
        }

        void print(PrintWriter out) {
            int cols = rows.get(0).length;
            int[] w = new int[cols];
            for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
            for (String[] r : rows) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < cols; i++) {
                    sb.append(r[i]);
                    if (i + 1 < cols) sb.append(" ".repeat(w[i] - r[i].length() + 2));
                }
                out.println(sb.toString().stripTrailing());
            }
        }
    }
}

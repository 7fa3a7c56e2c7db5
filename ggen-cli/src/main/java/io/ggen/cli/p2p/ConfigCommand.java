package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.marketplace.fs.AtomicFiles;
import io.ggen.node.config.ConfigException;
import io.ggen.node.config.ConfigToml;
import io.ggen.node.config.NodeConfig;
import io.ggen.node.config.NodeConfig.Setting;
import io.ggen.node.config.NodeConfigLoader;
import io.ggen.node.home.DataDir;
import io.ggen.node.render.OutputFormat;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show or create the node's configuration (p2p-config.toml in the data directory).",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Init.class},
        footer = {"", "Examples:", "  ggen marketplace p2p config init", "  ggen marketplace p2p config show"})
public final class ConfigCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Loads the effective configuration as {@code start} would, turning a bad value into a usage error. */
    static NodeConfig load(DataDir dir, Path explicit, NodeConfigLoader.Flags flags) {
        try {
            return NodeConfigLoader.load(explicit != null ? explicit : dir.configFile(), explicit != null, System.getenv(), flags);
        } catch (ConfigException e) {
            throw new UserError(e.getMessage(), CliErrors.USAGE);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the effective configuration (file, environment and defaults combined) and where each value comes from.",
            footer = {"", "Examples:", "  ggen marketplace p2p config show", "  GGEN_P2P_LISTEN=/ip4/127.0.0.1/tcp/4001 ggen marketplace p2p config show --format json"})
    static final class Show extends P2pSubcommand {
        enum ShowFormat { toml, json, yaml }

        @Option(names = "--config", paramLabel = "<path>", description = "Read this file instead of p2p-config.toml in the data directory.")
        Path config;

        @Option(names = "--format", defaultValue = "toml", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        ShowFormat format;

        @Override
        public Integer call() {
            DataDir dir = dataDir();
            NodeConfig cfg = load(dir, config, NodeConfigLoader.Flags.NONE);
            if (format == ShowFormat.toml) {
                out().println("# effective configuration of " + dir.root() + " (file: " + (config != null ? config : dir.configFile()) + ")");
                out().print(ConfigToml.render(cfg, false, true));
                out().flush();
                return CliErrors.OK;
            }
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, Setting> e : cfg.settings().entrySet()) {
                ObjectNode v = o.putObject(e.getKey());
                Object val = e.getValue().value();
                if (val instanceof List<?> list) {
                    var arr = v.putArray("value");
                    for (Object x : list) arr.add(x instanceof Multiaddr m ? m.toString() : String.valueOf(x));
                } else if (val instanceof Boolean b) v.put("value", b);
                else if (val instanceof Long l) v.put("value", l);
                else v.put("value", String.valueOf(val));
                v.put("source", e.getValue().source());
            }
            print(o, format == ShowFormat.json ? OutputFormat.json : OutputFormat.yaml);
            return CliErrors.OK;
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Write p2p-config.toml with every key, its default and what it means.",
            footer = {"", "Examples:", "  ggen marketplace p2p config init", "  ggen marketplace p2p config init --force   # the old file is kept as p2p-config.toml.bak"})
    static final class Init extends P2pSubcommand {
        @Option(names = "--force", description = "Replace an existing file (the old one is kept as .bak).")
        boolean force;

        @Override
        public Integer call() throws IOException {
            DataDir dir = dataDir();
            dir.ensure();
            Path file = dir.configFile();
            if (Files.exists(file)) {
                if (!force) {
                    throw new UserError(file + " already exists; use --force to replace it (the old file is kept as p2p-config.toml.bak)");
                }
                Files.copy(file, file.resolveSibling("p2p-config.toml.bak"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
            AtomicFiles.write(file, ConfigToml.render(NodeConfig.defaults(), true, false).getBytes(StandardCharsets.UTF_8),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"), true);
            out().println("Wrote " + file);
            out().flush();
            return CliErrors.OK;
        }
    }
}

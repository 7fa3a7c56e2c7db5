package io.ggen.node.config;

import io.ggen.marketplace.text.TomlDocument;
import io.ggen.marketplace.text.Suggestions;
import io.ggen.node.config.NodeConfig.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Builds the effective configuration. Precedence: flags, then environment
 * ({@code GGEN_P2P_LISTEN}, {@code GGEN_P2P_BOOTSTRAP}, {@code GGEN_P2P_DHT_SERVER},
 * {@code GGEN_P2P_API_PORT}), then {@code p2p-config.toml}, then defaults. The first bad value
 * found anywhere stops loading with a {@link ConfigException} naming where it is.
 */
public final class NodeConfigLoader {
    /** Largest config file read; a bigger one is certainly not a config file. */
    static final long MAX_FILE_BYTES = 1 << 20;

    /** Environment variables and the key each sets; lists are comma-separated. */
    public static final Map<String, String> ENVIRONMENT = Map.ofEntries(
            Map.entry("GGEN_P2P_LISTEN", ConfigKey.LISTEN),
            Map.entry("GGEN_P2P_BOOTSTRAP", ConfigKey.BOOTSTRAP),
            Map.entry("GGEN_P2P_DHT_SERVER", ConfigKey.DHT_SERVER),
            Map.entry("GGEN_P2P_API_PORT", "api.port"),
            Map.entry("GGEN_P2P_WARMUP", "pubsub.warmup_messages"),
            Map.entry("GGEN_P2P_FORCE_REACHABILITY", "nat.force_reachability"),
            Map.entry("GGEN_P2P_MDNS", "discovery.mdns"),
            Map.entry("GGEN_P2P_RELAYS", "nat.relays"),
            Map.entry("GGEN_P2P_PORT_MAPPING", "nat.port_mapping"),
            Map.entry("GGEN_LOG_LEVEL", "log.level"),
            Map.entry("GGEN_METRICS_LISTEN", "metrics.listen"));

    /** Values given on the command line; null or empty means not given. */
    public record Flags(List<String> listen, List<String> bootstrap, Boolean dhtServer, String forceReachability, String metricsListen, Boolean portMapping) {
        public static final Flags NONE = new Flags(List.of(), List.of(), null, null, null, null);

        public Flags(List<String> listen, List<String> bootstrap, Boolean dhtServer, String forceReachability, String metricsListen) {
            this(listen, bootstrap, dhtServer, forceReachability, metricsListen, null);
        }

        public Flags(List<String> listen, List<String> bootstrap, Boolean dhtServer) {
            this(listen, bootstrap, dhtServer, null, null);
        }
    }

    private NodeConfigLoader() {}

    /**
     * @param file the config file; when it does not exist and {@code explicit} is false the
     *     defaults apply, when explicit (given with --config) a missing file is an error
     */
    public static NodeConfig load(Path file, boolean explicit, Map<String, String> env, Flags flags) {
        Map<String, Setting> settings = new LinkedHashMap<>(NodeConfig.defaults().settings());
        readFile(file, explicit, settings);
        for (String var : List.of("GGEN_P2P_LISTEN", "GGEN_P2P_BOOTSTRAP", "GGEN_P2P_DHT_SERVER", "GGEN_P2P_API_PORT", "GGEN_P2P_WARMUP",
                "GGEN_P2P_FORCE_REACHABILITY", "GGEN_P2P_MDNS", "GGEN_P2P_RELAYS", "GGEN_P2P_PORT_MAPPING", "GGEN_LOG_LEVEL", "GGEN_METRICS_LISTEN")) {
            String text = env.get(var);
            if (text == null || text.isBlank()) continue;
            ConfigKey key = ConfigKey.named(ENVIRONMENT.get(var));
            Object raw = key.type() == ConfigKey.Type.LISTEN_ADDRS || key.type() == ConfigKey.Type.BOOTSTRAP_ADDRS
                    ? Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                    : text.trim();
            settings.put(key.name(), new Setting(convert(key, raw, "environment " + var), var));
        }
        if (flags.listen() != null && !flags.listen().isEmpty()) {
            settings.put(ConfigKey.LISTEN, new Setting(convert(ConfigKey.named(ConfigKey.LISTEN), flags.listen(), "--listen"), "--listen"));
        }
        if (flags.bootstrap() != null && !flags.bootstrap().isEmpty()) {
            settings.put(ConfigKey.BOOTSTRAP, new Setting(convert(ConfigKey.named(ConfigKey.BOOTSTRAP), flags.bootstrap(), "--bootstrap"), "--bootstrap"));
        }
        if (flags.metricsListen() != null) {
            settings.put("metrics.listen", new Setting(convert(ConfigKey.named("metrics.listen"), flags.metricsListen(), "--metrics-listen"), "--metrics-listen"));
        }
        if (flags.dhtServer() != null) settings.put(ConfigKey.DHT_SERVER, new Setting(flags.dhtServer(), "--dht-server"));
        if (flags.forceReachability() != null) {
            settings.put("nat.force_reachability", new Setting(convert(ConfigKey.named("nat.force_reachability"), flags.forceReachability(), "--force-reachability"),
                    "--force-reachability"));
        }
        if (flags.portMapping() != null) settings.put("nat.port_mapping", new Setting(flags.portMapping(), "--port-mapping"));
        checkTogether(settings);
        return new NodeConfig(settings);
    }

    private static Object convert(ConfigKey key, Object raw, String where) {
        try {
            return key.convert(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + key.name() + ": " + e.getMessage());
        }
    }

    private static void readFile(Path file, boolean explicit, Map<String, Setting> settings) {
        String name = file.getFileName() == null ? file.toString() : file.toString();
        String text;
        try {
            if (Files.isDirectory(file)) throw new ConfigException(name + ": is a directory; expected a TOML file");
            if (Files.size(file) > MAX_FILE_BYTES) throw new ConfigException(name + ": larger than 1 MiB; is this the right file?");
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            if (explicit) throw new ConfigException(name + ": no such file (create one with 'ggen marketplace p2p config init')");
            return;
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ConfigException(name + ": not UTF-8 text; a TOML file must be UTF-8");
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read (" + e.getMessage() + ")");
        }
        TomlDocument doc = TomlDocument.parse(text);
        if (doc.hasErrors()) {
            TomlParseError err = doc.errors().get(0);
            throw new ConfigException(at(name, err.position()) + "invalid TOML: " + err.getMessage().replaceAll("\\s+", " "));
        }
        TomlParseResult toml = doc.result();
        for (String dotted : toml.dottedKeySet(false)) {
            ConfigKey key = ConfigKey.named(dotted);
            TomlPosition pos = toml.inputPositionOf(dotted);
            if (key == null) {
                throw new ConfigException(at(name, pos) + "unknown key '" + dotted + "'" + suggestion(dotted));
            }
            Object raw = toml.get(dotted);
            if (raw instanceof TomlArray arr) raw = arr.toList();
            if (raw instanceof TomlTable) throw new ConfigException(at(name, pos) + dotted + ": expected " + key.accepted() + ", got a table");
            Object value;
            try {
                value = key.type() == ConfigKey.Type.INT && raw instanceof String
                        ? fail("expected " + key.accepted() + ", got a string (write the number without quotes)")
                        : key.type() == ConfigKey.Type.BOOL && raw instanceof String
                                ? fail("expected " + key.accepted() + ", got a string (write true or false without quotes)")
                                : key.convert(raw);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(at(name, pos) + dotted + ": " + e.getMessage());
            }
            settings.put(dotted, new Setting(value, at(name, pos).replaceAll(": $", "")));
        }
    }

    private static Object fail(String message) {
        throw new IllegalArgumentException(message);
    }

    private static String at(String file, TomlPosition pos) {
        return pos == null ? file + ": " : file + ":" + pos.line() + ":" + pos.column() + ": ";
    }

    private static String suggestion(String unknown) {
        List<String> names = new ArrayList<>();
        for (ConfigKey k : ConfigKey.ALL) names.add(k.name());
        return Suggestions.closest(unknown, names).map(k -> "; did you mean '" + k + "'?").orElse("; known keys: " + String.join(", ", names));
    }

    private static void checkTogether(Map<String, Setting> settings) {
        Setting d = settings.get("pubsub.mesh_degree");
        Setting dLo = settings.get("pubsub.mesh_degree_low");
        Setting dHi = settings.get("pubsub.mesh_degree_high");
        if ((Long) dLo.value() > (Long) d.value()) {
            throw new ConfigException(dLo.source() + ": pubsub.mesh_degree_low (" + dLo.value() + ") must not exceed pubsub.mesh_degree ("
                    + d.value() + ", " + d.source() + ")");
        }
        if ((Long) d.value() > (Long) dHi.value()) {
            throw new ConfigException(d.source() + ": pubsub.mesh_degree (" + d.value() + ") must not exceed pubsub.mesh_degree_high ("
                    + dHi.value() + ", " + dHi.source() + ")");
        }
        Setting low = settings.get("limits.connection_low_water");
        Setting high = settings.get("limits.connection_high_water");
        Setting max = settings.get("limits.max_connections");
        if ((Long) low.value() >= (Long) high.value()) {
            throw new ConfigException(low.source() + ": limits.connection_low_water (" + low.value() + ") must be below limits.connection_high_water ("
                    + high.value() + ", " + high.source() + ")");
        }
        if ((Long) high.value() > (Long) max.value()) {
            throw new ConfigException(high.source() + ": limits.connection_high_water (" + high.value() + ") must not exceed limits.max_connections ("
                    + max.value() + ", " + max.source() + ")");
        }
    }
}

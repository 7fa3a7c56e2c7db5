package io.ggen.node.config;

import io.ggen.node.config.NodeConfig.Setting;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a configuration as TOML: the commented template of {@code config init}, and {@code config show}. */
public final class ConfigToml {
    private ConfigToml() {}

    /**
     * @param docs put each key's documentation above it
     * @param sources put the source of each value after it
     */
    public static String render(NodeConfig config, boolean docs, boolean sources) {
        StringBuilder sb = new StringBuilder();
        if (docs) {
            sb.append("# ggen P2P node configuration. Precedence: command-line flags, then environment\n")
              .append("# (GGEN_P2P_LISTEN, GGEN_P2P_BOOTSTRAP, GGEN_P2P_DHT_SERVER, GGEN_P2P_API_PORT, GGEN_METRICS_LISTEN, ...),\n")
              .append("# then this file.\n")
              .append("# Every key is optional; the values below are the defaults.\n\n");
        }
        Map<String, List<ConfigKey>> tables = new LinkedHashMap<>();
        for (ConfigKey k : ConfigKey.ALL) {
            int dot = k.name().indexOf('.');
            tables.computeIfAbsent(dot < 0 ? "" : k.name().substring(0, dot), t -> new ArrayList<>()).add(k);
        }
        for (Map.Entry<String, List<ConfigKey>> t : tables.entrySet()) {
            if (!t.getKey().isEmpty()) sb.append('[').append(t.getKey()).append("]\n");
            for (ConfigKey k : t.getValue()) {
                Setting s = config.settings().get(k.name());
                if (docs) sb.append("# ").append(k.doc()).append('\n');
                String leaf = t.getKey().isEmpty() ? k.name() : k.name().substring(t.getKey().length() + 1);
                sb.append(leaf).append(" = ").append(value(s.value()));
                if (sources) sb.append("  # from ").append(s.source());
                sb.append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String value(Object v) {
        if (v instanceof String s) return quote(s);
        if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object o : list) items.add(quote(o instanceof Multiaddr m ? m.toString() : String.valueOf(o)));
            return "[" + String.join(", ", items) + "]";
        }
        return String.valueOf(v);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}

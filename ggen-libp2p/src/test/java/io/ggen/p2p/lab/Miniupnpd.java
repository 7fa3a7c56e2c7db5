package io.ggen.p2p.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Debian's miniupnpd on a lab router: the one configuration both port-mapping labs use (the
 * libp2p layer's {@code MiniupnpdLab} and the CLI's {@code NatLab}) and its start-up. The router
 * has an interface {@code wan} toward the public side and {@code lan} toward 10.0.1.0/24; the
 * caller has made an nftables table holding the chains miniupnpd fills.
 */
public final class Miniupnpd {
    private Miniupnpd() {}

    /**
     * The configuration: UPnP IGD and/or NAT-PMP/PCP on {@code lan}, mappings only for the home
     * network's own address and unprivileged ports ({@code secure_mode}), rules written into
     * {@code nftTable}'s chains upnp_forward, upnp_prerouting and upnp_postrouting. The UUID is
     * random so two labs on one machine never answer as the same device.
     */
    public static String config(boolean upnp, boolean natpmp, Path leaseFile, String nftTable) {
        return """
                ext_ifname=wan
                listening_ip=lan
                http_port=0
                enable_upnp=%s
                enable_natpmp=%s
                secure_mode=yes
                system_uptime=no
                lease_file=%s
                upnp_table_name=%s
                upnp_nat_table_name=%s
                upnp_forward_chain=upnp_forward
                upnp_nat_chain=upnp_prerouting
                upnp_nat_postrouting_chain=upnp_postrouting
                uuid=6b1f4a2e-2c7d-4e55-9a0b-%012x
                allow 1024-65535 10.0.1.0/24 1024-65535
                deny 0-65535 0.0.0.0/0 0-65535
                """.formatted(upnp ? "yes" : "no", natpmp ? "yes" : "no", leaseFile, nftTable, nftTable,
                ThreadLocalRandom.current().nextLong(1L << 47));
    }

    /**
     * Writes {@code config} to {@code dir/miniupnpd.conf} and runs miniupnpd in the foreground in
     * namespace {@code ns} (owned by {@code lab}, so it is ended with the lab), logging to
     * {@code dir/miniupnpd.log}; returns once it listens on the protocol the test will speak (it
     * logs that after binding), or throws with its log when it exits or takes over 10 s.
     */
    public static Process start(LabNamespaces lab, String ns, Path dir, String config, boolean natpmp)
            throws IOException, InterruptedException {
        Path conf = dir.resolve("miniupnpd.conf");
        Path log = dir.resolve("miniupnpd.log");
        Files.writeString(conf, config);
        Process p = lab.own(new ProcessBuilder("ip", "netns", "exec", ns, "miniupnpd", "-d", "-f", conf.toString(),
                "-P", dir.resolve("miniupnpd.pid").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String ready = natpmp ? "Listening for NAT-PMP" : "HTTP listening";
        while (!Files.readString(log).contains(ready)) {
            if (!p.isAlive()) throw new IOException("miniupnpd exited: " + Files.readString(log));
            if (System.nanoTime() > end) throw new IOException("miniupnpd did not start: " + Files.readString(log));
            p.waitFor(50, TimeUnit.MILLISECONDS);
        }
        return p;
    }
}

package io.ggen.p2p.autonat;

import io.ggen.p2p.autonat.v1.AutonatV1Server;
import io.ggen.p2p.autonat.v2.AutonatV2Server;
import io.ggen.p2p.core.Event.Reachability;
import io.ggen.p2p.multiaddr.AddressClassifier;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node runs AutoNAT.
 *
 * @param server serve AutoNAT v2 and v1 to others (dial-backs from a separate dialer host)
 * @param client ask others about our reachability
 * @param forced a reachability set by configuration: published at start, and the client does
 *     not run (for set-ups AutoNAT cannot judge)
 * @param classifier which addresses are public (ours to test, theirs to dial)
 * @param confirmations servers that must agree before a verdict
 * @param serversPerRound servers asked in one round
 * @param retryInterval time between rounds while the verdict is unknown
 * @param recheckInterval time between rounds once there is a verdict
 * @param answerTtl how long one server's answer counts
 * @param requestTimeout one request to a server, its dial-back included
 * @param maxDialData most bytes we pay a v2 server asking for dial data
 */
public record AutonatConfig(
        boolean server,
        boolean client,
        Optional<Reachability> forced,
        AddressClassifier classifier,
        int confirmations,
        int serversPerRound,
        Duration retryInterval,
        Duration recheckInterval,
        Duration answerTtl,
        Duration requestTimeout,
        long maxDialData,
        AutonatV2Server.Config v2Server,
        AutonatV1Server.Config v1Server) {

    public AutonatConfig {
        Objects.requireNonNull(forced, "forced");
        if (forced.isPresent() && forced.get() == Reachability.UNKNOWN) throw new IllegalArgumentException("reachability can be forced to public or private only");
        Objects.requireNonNull(classifier, "classifier");
        if (confirmations < 1) throw new IllegalArgumentException("confirmations must be at least 1");
        if (serversPerRound < 1) throw new IllegalArgumentException("serversPerRound must be at least 1");
        Objects.requireNonNull(retryInterval, "retryInterval");
        Objects.requireNonNull(recheckInterval, "recheckInterval");
        Objects.requireNonNull(answerTtl, "answerTtl");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxDialData < 0) throw new IllegalArgumentException("maxDialData must be >= 0");
        Objects.requireNonNull(v2Server, "v2Server");
        Objects.requireNonNull(v1Server, "v1Server");
    }

    /**
     * Server and client on; 2 servers must agree (a home network often knows only a few public
     * peers); a round of 4 servers every 30 s until there is a verdict, then every 15 min;
     * answers count for an hour; up to 128 KiB of dial data paid.
     */
    public static AutonatConfig defaults() {
        return new AutonatConfig(true, true, Optional.empty(), AddressClassifier.DEFAULT, 2, 4, Duration.ofSeconds(30),
                Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofSeconds(30), 128 * 1024,
                AutonatV2Server.Config.defaults(), AutonatV1Server.Config.defaults());
    }

    public AutonatConfig withClassifier(AddressClassifier c) {
        return new AutonatConfig(server, client, forced, c, confirmations, serversPerRound, retryInterval, recheckInterval,
                answerTtl, requestTimeout, maxDialData, v2Server, v1Server);
    }

    public AutonatConfig withForced(Optional<Reachability> f) {
        return new AutonatConfig(server, client, f, classifier, confirmations, serversPerRound, retryInterval, recheckInterval,
                answerTtl, requestTimeout, maxDialData, v2Server, v1Server);
    }

    public AutonatConfig withConfirmations(int n) {
        return new AutonatConfig(server, client, forced, classifier, n, serversPerRound, retryInterval, recheckInterval,
                answerTtl, requestTimeout, maxDialData, v2Server, v1Server);
    }

    public AutonatConfig withRoles(boolean serve, boolean ask) {
        return new AutonatConfig(serve, ask, forced, classifier, confirmations, serversPerRound, retryInterval, recheckInterval,
                answerTtl, requestTimeout, maxDialData, v2Server, v1Server);
    }

    public AutonatConfig withIntervals(Duration retry, Duration recheck) {
        return new AutonatConfig(server, client, forced, classifier, confirmations, serversPerRound, retry, recheck,
                answerTtl, requestTimeout, maxDialData, v2Server, v1Server);
    }

    public AutonatConfig withServerConfigs(AutonatV2Server.Config v2, AutonatV1Server.Config v1) {
        return new AutonatConfig(server, client, forced, classifier, confirmations, serversPerRound, retryInterval, recheckInterval,
                answerTtl, requestTimeout, maxDialData, v2, v1);
    }
}

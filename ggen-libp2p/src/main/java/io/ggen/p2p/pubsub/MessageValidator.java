package io.ggen.p2p.pubsub;

import io.ggen.p2p.crypto.PeerId;
import java.util.concurrent.CompletableFuture;

/** An application validator for one topic; may answer later (the router bounds how long and how many). */
@FunctionalInterface
public interface MessageValidator {
    CompletableFuture<ValidationResult> validate(PeerId receivedFrom, PubsubMessage message);
}

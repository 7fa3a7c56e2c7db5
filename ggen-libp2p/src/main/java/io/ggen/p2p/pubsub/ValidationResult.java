package io.ggen.p2p.pubsub;

/** What an application validator says of a message (gossipsub v1.1). */
public enum ValidationResult {
    /** Deliver and forward. */
    ACCEPT,
    /** Invalid: drop, and count against the peer that sent it (P4). */
    REJECT,
    /** Drop without penalty (e.g. a duplicate the application already knows). */
    IGNORE
}

package io.ggen.marketplace.error;

/**
 * A failure whose message is already fit for a user: what is wrong and, where we know it, how to
 * fix it. The kind lets the CLI choose an exit code without parsing messages.
 */
public class MarketplaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** Bad input from the user: a flag, an argument, a spec like {@code id@range}. */
        USAGE,
        /** A manifest, archive or record that breaks a rule. */
        INVALID,
        NOT_FOUND,
        /** Bytes, a signature or an owner did not check out. */
        VERIFICATION,
        /** The request contradicts existing state (id@version already bound, unresolvable ranges). */
        CONFLICT,
        IO
    }

    private final Kind kind;

    public MarketplaceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public MarketplaceException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

package io.ggen.interop;

/** A command of the line protocol that this peer does not implement yet. */
final class UnsupportedCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedCommandException(String message) {
        super(message);
    }
}

package io.ggen.node.error;

/**
 * A failure of the node or its data directory whose message is already fit for the user: what
 * went wrong and how to fix it, on one line. The command line prints it as it is.
 */
public class NodeError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NodeError(String message) {
        super(message);
    }

    public NodeError(String message, Throwable cause) {
        super(message, cause);
    }
}

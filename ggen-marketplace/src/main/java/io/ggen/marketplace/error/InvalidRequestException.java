package io.ggen.marketplace.error;

import io.ggen.marketplace.text.OneLine;

/**
 * A request field that breaks a rule. The message speaks of the request ("limit must be between
 * 1 and 1000, got 5000"); {@link #field} names the field, so a front end can speak of its own
 * spelling of it (the command line says {@code --limit}, the API {@code "limit"}).
 */
public final class InvalidRequestException extends MarketplaceException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String problem;

    /** The problem often quotes the value sent, which may hold line breaks: they are shown escaped. */
    public InvalidRequestException(String field, String problem) {
        super(Kind.USAGE, OneLine.of(field + " " + problem));
        this.field = field;
        this.problem = OneLine.of(problem);
    }

    /** The request field, in the API's spelling (snake_case). */
    public String field() {
        return field;
    }

    /** What is wrong with it, without the field's name ("must be between 1 and 1000, got 5000"). */
    public String problem() {
        return problem;
    }
}

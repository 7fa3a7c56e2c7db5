package io.ggen.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The command's logging, set up in code (logback finds it through META-INF/services): log lines
 * to stderr, so scripts can parse stdout, at GGEN_LOG_LEVEL (default warn; Main refuses a bad
 * value). In code rather than a logback.xml because reading the XML loads about a thousand
 * classes (a SAX parser, Joran's model) into every command that touches SQLite or the network.
 * The node adds its log file to this (NodeLogging) and may take the console appender, "ERR", away.
 */
public final class CliLogging extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> err = new ConsoleAppender<>();
        err.setContext(ctx);
        err.setName("ERR");
        err.setTarget("System.err");
        err.setEncoder(encoder);
        err.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        String level = System.getenv("GGEN_LOG_LEVEL");
        root.setLevel(level == null || level.isBlank() ? Level.WARN : Level.toLevel(level.trim(), Level.WARN));
        root.addAppender(err);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}

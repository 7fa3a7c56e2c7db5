package io.ggen.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import io.ggen.node.home.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.LoggerFactory;

/**
 * The node's log: to the terminal (stderr, as the CLI's CliLogging sets up) and to
 * {@code logs/node.log} in the data directory, rolled at 10 MiB with 3 old files kept, so the
 * log never fills the disk.
 */
public final class NodeLogging {
    private NodeLogging() {}

    /**
     * @param level from the configuration, already checked ({@code log.level}; GGEN_LOG_LEVEL sets
     *     it from the environment, as the loader's precedence says, so a bad value is refused there)
     */
    public static void start(DataDir dir, String level, boolean console) throws IOException {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        // Netty and the SQLite driver are chatty at debug and say nothing a user needs at info.
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        if (!console) root.detachAppender("ERR");
        Files.createDirectories(dir.logDir());

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0}: %msg%n");
        encoder.start();

        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(ctx);
        file.setName("FILE");
        file.setFile(dir.logFile().toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(file);
        rolling.setFileNamePattern(dir.logDir().resolve("node.%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(3);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(FileSize.valueOf("10MB"));
        trigger.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
        file.setEncoder(encoder);
        file.start();
        root.addAppender(file);
    }

    /** Flushes and closes the appenders (logback's own shutdown hook may not run before exit). */
    public static void stop() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }
}

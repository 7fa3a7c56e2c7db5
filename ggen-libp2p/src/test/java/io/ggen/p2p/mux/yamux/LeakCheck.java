package io.ggen.p2p.mux.yamux;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Netty reports leaked buffers through its logger when a later allocation notices a collected,
 * unreleased one; this captures those reports (PARANOID: every buffer tracked).
 */
final class LeakCheck {
    private static final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.valueOf(System.getProperty("yamux.leakLevel", "PARANOID").toUpperCase()));
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        Logger leaks = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        appender.start();
        leaks.addAppender(appender);
    }

    private LeakCheck() {
    }

    static void install() {
        // static initialiser does the work
    }

    /** Collects garbage, lets the detectors look, and fails on any leak report. */
    static void assertNoLeaks() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            for (int j = 0; j < 64; j++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
                b.release();
                ByteBuf h = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
                h.release();
            }
        }
        List<String> reports;
        synchronized (appender) {
            reports = appender.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("LEAK")).toList();
            appender.list.clear();
        }
        assertThat(reports).as("Netty leak reports").isEmpty();
    }
}

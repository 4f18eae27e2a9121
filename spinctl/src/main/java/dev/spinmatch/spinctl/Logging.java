package dev.spinmatch.spinctl;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Where spinctl's logs go, unless the user chose a logback configuration ({@code -Dlogback.configurationFile}).
 * Every command: nowhere on disk, only errors on the terminal ({@link #quiet}). {@code up}: the services log
 * JSON lines at INFO (one per accepted spin), which would bury the tool's own output, so they go to a file,
 * rotated with a size cap ({@link #toFile}).
 */
public final class Logging {
    static final String CONFIGURATION = "logback.configurationFile";
    static final String QUIET = "spinctl-logback.xml";
    static final String UP = "/spinctl-up-logback.xml";

    private Logging() {
    }

    /** Called first thing, before any logger exists. */
    public static void quiet() {
        if (System.getProperty(CONFIGURATION) == null) {
            System.setProperty(CONFIGURATION, QUIET);
        }
    }

    /**
     * Sends the logs to {@code file}, rotated at {@code maxFileSize} (logback's size syntax, e.g. 20MB) keeping
     * three older files beside it; empty when the user's own logback configuration is in charge.
     */
    public static Optional<Path> toFile(Path file, String maxFileSize) {
        if (!QUIET.equals(System.getProperty(CONFIGURATION))) {
            return Optional.empty();
        }
        configureUp((LoggerContext) LoggerFactory.getILoggerFactory(), file, maxFileSize);
        return Optional.of(file.toAbsolutePath());
    }

    /** Installs {@code up}'s configuration (spinctl-up-logback.xml) in {@code context}. */
    static void configureUp(LoggerContext context, Path file, String maxFileSize) {
        context.reset();
        context.putProperty("spinctl.log.file", file.toAbsolutePath().toString());
        context.putProperty("spinctl.log.max-file-size", maxFileSize);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(Logging.class.getResource(UP));
        } catch (JoranException e) {
            throw new IllegalStateException("the logging configuration " + UP + " is broken", e);
        }
    }
}

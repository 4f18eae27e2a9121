package dev.spinmatch.api;

import dev.spinmatch.common.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The producer-api process. Configuration: docs/CONFIGURATION.md; SIGTERM stops it gracefully. */
public final class ApiMain {
    private static final Logger log = LoggerFactory.getLogger(ApiMain.class);

    private ApiMain() {
    }

    public static void main(String[] args) throws Exception {
        ApiServer server = ApiServer.start(ApiOptions.from(Settings.fromEnvironment()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "api-shutdown"));
        log.info("producer-api listening on {}", server.uri());
        server.join();
    }
}

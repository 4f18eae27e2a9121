package dev.spinmatch.worker;

import dev.spinmatch.common.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one matcher worker until SIGTERM (then it stops cleanly within {@code worker.shutdown.grace})
 * or until its request consumer dies (then it exits with status 1, to be restarted). Kafka and PostgreSQL
 * are configured ({@code kafka.bootstrap}, {@code db.url}); for a whole system on one machine, with embedded
 * ones, run {@code spinctl up}.
 */
public final class WorkerMain {
    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);
    private static volatile boolean stopping;

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Settings settings = Settings.fromEnvironment();
        Worker worker = Worker.start(WorkerOptions.from(settings));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            worker.close();
        }, "worker-shutdown"));
        worker.awaitConsumerStop();
        if (!stopping) {
            log.error("the request consumer died; exiting so the worker is restarted");
            System.exit(1);
        }
    }
}

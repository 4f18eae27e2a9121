package dev.spinmatch.spinctl.up;

import dev.spinmatch.spinctl.check.InvariantCheck;
import dev.spinmatch.spinctl.storm.DurationConverter;
import dev.spinmatch.spinctl.storm.Storm;
import dev.spinmatch.spinctl.storm.StormOptions;
import dev.spinmatch.spinctl.storm.StormReport;
import dev.spinmatch.spinctl.storm.StormResult;
import dev.spinmatch.spinctl.Logging;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spinctl up}: the whole system on this machine until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start PostgreSQL and Kafka (embedded unless --db/--kafka or SPINMATCH_DB_URL/"
                + "SPINMATCH_KAFKA_BOOTSTRAP are given), run the migrations, create the topics, start the API and "
                + "N workers in this JVM, print where everything listens, optionally run a demo storm, and keep "
                + "running until Ctrl-C, which stops everything cleanly.")
public final class UpCommand implements Callable<Integer> {
    @Option(names = "--kafka", descriptionKey = "kafka.bootstrap",
            description = "External Kafka bootstrap servers (default: $SPINMATCH_KAFKA_BOOTSTRAP, else an embedded broker).")
    String kafka;

    @Option(names = "--db", descriptionKey = "db.url",
            description = "External PostgreSQL JDBC URL (default: $SPINMATCH_DB_URL, else an embedded server).")
    String db;

    @Option(names = "--db-user", descriptionKey = "db.user", defaultValue = "postgres", description = "Database user (default: ${DEFAULT-VALUE}).")
    String dbUser;

    @Option(names = "--db-password", descriptionKey = "db.password", defaultValue = "postgres", description = "Database password.")
    String dbPassword;

    @Option(names = "--workers", defaultValue = "3", description = "Matcher workers, each an isolated instance (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--api-port", defaultValue = "8080", description = "Port of the API; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--partitions", defaultValue = "12", description = "Partitions of the topics created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--user-rate-limit", defaultValue = "1000",
            description = "Per-user request limit of the local API, per second (unless api.rate-limit.per-second is set; default: ${DEFAULT-VALUE}).")
    int userRateLimit;

    @Option(names = "--demo-storm", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Run a storm of simulated users for this long once everything is up, e.g. 20s.")
    Duration demoStorm;

    @Option(names = "--demo-users", defaultValue = "400", description = "Users of the demo storm (default: ${DEFAULT-VALUE}).")
    int demoUsers;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Where the services' JSON log lines go (default: spinctl-up.log in the temporary directory).")
    Path logFile = Path.of(System.getProperty("java.io.tmpdir"), "spinctl-up.log");

    @Option(names = "--log-max-file-size", defaultValue = "20MB",
            description = "The log file is rotated at this size, 3 older files kept (default: ${DEFAULT-VALUE}).")
    String logMaxFileSize;

    @Option(names = "--exit-after-demo", description = "Stop everything after the demo storm instead of running on (for scripts and CI).")
    boolean exitAfterDemo;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Optional<Path> log = Logging.toFile(logFile, logMaxFileSize);
        Stack stack = Stack.start(new StackOptions(Optional.ofNullable(kafka), Optional.ofNullable(db), dbUser,
                dbPassword, workers, apiPort, partitions, userRateLimit), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.out.println("stopping: API, workers, Kafka, PostgreSQL...");
            System.out.println("stopped in " + stack.stop());
            stopped.countDown();
        }, "spinctl-up-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        printEndpoints(stack, (System.nanoTime() - t0) / 1e9, log.map(file -> file + " (rotated at " + logMaxFileSize
                + ", 3 older files kept)").orElse("as your logback configuration says"));
        int code = demoStorm == null ? 0 : demo(stack);
        if (exitAfterDemo) {
            return code; // System.exit runs the hook, which stops everything
        }
        System.out.println("running; Ctrl-C stops everything.");
        stopped.await();
        return code;
    }

    private static void printEndpoints(Stack stack, double seconds, String log) {
        System.out.printf("%nspinmatch is up (%.1f s):%n", seconds);
        stack.endpoints().forEach((name, where) -> System.out.printf("  %-18s %s%n", name, where));
        System.out.printf("  %-18s %s%n", "log file", log);
        System.out.printf("%ntry:%n  curl -s -XPOST %s/v1/spins -H 'Authorization: Bearer dev-token' "
                + "-H 'Content-Type: application/json' -d '{\"userId\":\"alice\"}'%n%n", stack.api().uri());
    }

    private int demo(Stack stack) throws Exception {
        StormOptions options = StormOptions.defaults(URI.create("http://127.0.0.1:" + stack.api().port()),
                stack.kafkaBootstrap(), stack.matchesTopic(), demoUsers, demoStorm);
        InvariantCheck check = new InvariantCheck(stack.dbUrl(), stack.dbUser(), stack.dbPassword());
        StormResult result = new Storm(options, System.out).run(check, "1 second");
        StormReport.print(result, System.out);
        return result.passed() ? 0 : 1;
    }
}

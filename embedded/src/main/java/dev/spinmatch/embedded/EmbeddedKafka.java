package dev.spinmatch.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Apache Kafka broker in this JVM: KRaft combined mode (one node is broker and controller),
 * random free ports, a temporary log directory deleted on {@link #close()}. Internal topics use
 * replication factor 1 so a single node suffices. For local runs and tests; production uses a cluster.
 * {@link #stop()} and {@link #startAgain()} restart it on the same ports and log directory, as a
 * restarted broker process would come back (tests of clients that must survive it).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path logDir;
    private final String bootstrapServers;
    private final Properties props;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path logDir, int brokerPort, Properties props) {
        this.logDir = logDir;
        this.bootstrapServers = "127.0.0.1:" + brokerPort;
        this.props = props;
        startAgain();
    }

    /** Formats a fresh log directory and starts the broker; returns once it accepts clients. */
    public static EmbeddedKafka start() {
        try {
            Path logDir = Files.createTempDirectory("spinmatch-kafka-");
            int brokerPort = freePort();
            Properties props = properties(logDir, brokerPort, freePort());
            format(logDir, props);
            return new EmbeddedKafka(logDir, brokerPort, props);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Shuts the broker down cleanly (as on SIGTERM), keeping its log directory and ports for {@link #startAgain()}. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts the broker (again) on its log directory and ports; returns once it accepts clients. */
    public synchronized void startAgain() {
        if (server == null) {
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
        }
    }

    @Override
    public void close() {
        stop();
        TempDirectories.delete(logDir);
    }

    static Properties properties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "5");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "5");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // One node, thrown away at close: there is no other broker to hand leadership to, so the controlled
        // shutdown handshake with the controller only waits out heartbeats before the same stop.
        p.setProperty("controlled.shutdown.enable", "false");
        // No time retention: an imported log keeps its recorded (old) timestamps, and the broker's
        // periodic retention check would otherwise delete it mid-test or mid-debugging session.
        p.setProperty("log.retention.ms", "-1");
        return p;
    }

    /** StorageTool.main would System.exit; execute returns the code instead. */
    private static void format(Path logDir, Properties props) throws IOException {
        Path config = logDir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            props.store(out, "spinmatch embedded broker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"};
        int code = StorageTool.execute(args, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException("kafka storage format failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.publisher.SpinPublisher;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while a spin waits for its Kafka acknowledgement: the server stops accepting, the in-flight
 * request still gets its 202 when the ack arrives, and only then is the producer closed.
 */
class InFlightSpinIsAnsweredDuringGracefulShutdownTest {

    @Test
    void inFlightRequestCompletesAndNewConnectionsAreRefused() throws Exception {
        MockProducer<String, byte[]> producer =
                new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        ApiOptions options = ApiOptions.from(TestApi.settings("api.shutdown-drain", "20s"));
        ApiServer server = ApiServer.start(options, new Backends(
                new SpinPublisher(producer, options.requestsTopic(), Clock.systemUTC()), TestApi.EMPTY_STATE,
                Map.of(), List.of()));
        TestApi client = TestApi.against(server);
        int port = server.port();

        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> call(client));
        awaitUntil(() -> producer.history().size() == 1);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
        awaitUntil(() -> !canConnect(port));

        assertThat(inFlight).isNotDone();
        assertThat(producer.closed()).isFalse();
        producer.completeNext();

        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        stopping.get(20, TimeUnit.SECONDS);
        assertThat(producer.closed()).isTrue();
        assertThat(canConnect(port)).isFalse();
    }

    private static HttpResponse<String> call(TestApi client) {
        try {
            return client.authorized("POST", "/v1/spins", "{\"userId\":\"last-one\"}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean canConnect(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}

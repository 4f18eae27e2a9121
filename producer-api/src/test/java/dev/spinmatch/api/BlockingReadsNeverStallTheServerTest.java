package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The router is declared non-blocking to Jetty, so Jetty may run it on the thread that reads the sockets; the
 * state reads run JDBC there. With the database slow, every connection that thread serves waited behind them,
 * health checks included. Reads that block run on their own executor: while twenty of them hang, the server
 * still answers at once.
 */
class BlockingReadsNeverStallTheServerTest {
    private static final CountDownLatch DATABASE_BACK = new CountDownLatch(1);
    private static final StateStore HANGING = new StateStore() {
        @Override
        public Optional<Map<String, Object>> spin(UUID spinId) {
            return hang();
        }

        @Override
        public Optional<Map<String, Object>> user(String userId) {
            return hang();
        }

        @Override
        public Optional<Map<String, Object>> match(UUID matchId) {
            return hang();
        }

        @Override
        public Optional<Map<String, Object>> eventResult(UUID eventId) {
            return hang();
        }

        @Override
        public List<Map<String, Object>> notApplied(String about, UUID id) {
            return List.of();
        }

        private Optional<Map<String, Object>> hang() {
            try {
                DATABASE_BACK.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
    };

    @RegisterExtension
    static final TestApi api = new TestApi(HANGING);

    @Test
    void healthAnswersWhileReadsHangOnTheDatabase() throws Exception {
        HttpClient client = HttpClient.newBuilder().build();
        List<CompletableFuture<HttpResponse<Void>>> hanging = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                hanging.add(client.sendAsync(HttpRequest.newBuilder(uri("/v1/users/u" + i))
                        .header("Authorization", "Bearer " + TestApi.TOKEN).build(), HttpResponse.BodyHandlers.discarding()));
            }
            Thread.sleep(500);

            long start = System.nanoTime();
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/healthz"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        } finally {
            DATABASE_BACK.countDown();
        }
        for (CompletableFuture<HttpResponse<Void>> read : hanging) {
            assertThat(read.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }
}

package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.embedded.TestKafka;
import dev.spinmatch.publisher.SpinPublisher;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Against the real broker, whose producer completes every send on its one I/O thread: the reply to an accepted
 * spin is built and written on a thread of the HTTP server, never on that thread (where every reply would
 * queue behind the others and hold up the sending of records). Seen in the thread of the "accepted" log line:
 * the reply is built on that thread and written by what Router chains on it.
 */
class AcceptedSpinIsNotAnsweredOnTheKafkaProducerThreadTest {

    @Test
    void acceptedSpinIsAnsweredOnAnHttpServerThread() throws Exception {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(SpinEndpoints.class);
        logged.start();
        logger.addAppender(logged);
        try (ApiServer server = startAgainstTheTestBroker()) {
            HttpResponse<String> reply = TestApi.against(server).authorized("POST", "/v1/spins", "{\"userId\":\"u1\"}");

            assertThat(reply.statusCode()).isEqualTo(202);
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().startsWith("accepted join_queue"))
                .singleElement().extracting(ILoggingEvent::getThreadName).asString()
                .doesNotStartWith("kafka-producer-network-thread").startsWith("api-http");
    }

    private static ApiServer startAgainstTheTestBroker() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        String topic = KafkaTopics.unique("spin.requests");
        KafkaTopics.create(bootstrap, 1, topic);
        ApiOptions options = ApiOptions.from(TestApi.settings("topic.requests", topic));
        return ApiServer.start(options, new Backends(new SpinPublisher(options.publisherOptions(bootstrap)),
                TestApi.EMPTY_STATE, Map.of(), List.of()));
    }
}

package dev.spinmatch.api;

import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.embedded.TestDatabases;
import dev.spinmatch.embedded.TestDatabases.TestDatabase;
import dev.spinmatch.embedded.TestKafka;
import dev.spinmatch.schema.Migrations;

/**
 * The API started exactly as production starts it ({@link ApiServer#start(ApiOptions)}), against the test
 * JVM's real Kafka broker (own topic) and real PostgreSQL (own migrated database).
 */
final class RealBackendsApi implements AutoCloseable {
    final String topic = KafkaTopics.unique("spin.requests");
    final String bootstrap = TestKafka.bootstrapServers();
    final TestDatabase database = TestDatabases.create("spin", Migrations::migrate);
    final ApiServer server;
    final TestApi client;

    RealBackendsApi(String... settings) throws Exception {
        KafkaTopics.create(bootstrap, 3, topic);
        String[] all = new String[settings.length + 2];
        all[0] = "topic.requests";
        all[1] = topic;
        System.arraycopy(settings, 0, all, 2, settings.length);
        server = ApiServer.start(ApiOptions.from(TestApi.settings(all)).withKafkaBootstrap(bootstrap)
                .withDb(database.jdbcUrl(), database.user(), database.password()));
        client = TestApi.against(server);
    }

    @Override
    public void close() {
        server.close();
        database.close();
    }
}

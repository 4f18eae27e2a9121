package dev.spinmatch.api;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The workers' progress from their consumer group's committed offsets, read with Kafka's Admin API at most
 * once a second however many clients ask. Blocking.
 */
final class CommittedOffsets implements WorkerProgress {
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int TIMEOUT_MS = 2_000;
    private final Admin admin;
    private final String groupId;
    private Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
    private long readAt = Long.MIN_VALUE / 2;

    CommittedOffsets(Admin admin, String groupId) {
        this.admin = admin;
        this.groupId = groupId;
    }

    @Override
    public boolean processed(String topic, int partition, long offset) throws Exception {
        OffsetAndMetadata next = committed().get(new TopicPartition(topic, partition));
        return next != null && next.offset() > offset;
    }

    private synchronized Map<TopicPartition, OffsetAndMetadata> committed() throws Exception {
        long now = System.nanoTime();
        if (now - readAt >= REFRESH_NANOS) {
            committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            readAt = now;
        }
        return committed;
    }
}

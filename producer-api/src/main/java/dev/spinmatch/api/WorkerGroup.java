package dev.spinmatch.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The matcher workers' consumer group as Kafka's Admin API sees it: members, partitions, lag. Blocking. */
final class WorkerGroup {
    private static final int TIMEOUT_MS = 2_000;
    private final Admin admin;
    private final String groupId;

    WorkerGroup(Admin admin, String groupId) {
        this.admin = admin;
        this.groupId = groupId;
    }

    /** Each member with its partitions, and the lag summed over the group's partitions. */
    Map<String, Object> describe() throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                .get(groupId).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        List<Map<String, Object>> members = new ArrayList<>();
        for (MemberDescription member : group.members()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clientId", member.clientId());
            m.put("host", member.host());
            m.put("partitions", member.assignment().topicPartitions().stream().map(TopicPartition::partition)
                    .sorted().collect(Collectors.toList()));
            members.add(m);
        }
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("group", groupId);
        w.put("state", String.valueOf(group.groupState()));
        w.put("members", members);
        w.put("lag", lag());
        return w;
    }

    private long lag() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
            if (e.getValue() != null && ends.containsKey(e.getKey())) {
                lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
            }
        }
        return lag;
    }
}

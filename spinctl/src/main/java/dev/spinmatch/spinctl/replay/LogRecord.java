package dev.spinmatch.spinctl.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * One record of a recorded log: where it was (cluster id, topic, partition, offset), its timestamp,
 * key, headers and value. One line of the NDJSON file, fields in a fixed order.
 */
public record LogRecord(String cluster, String topic, int partition, long offset, long timestamp,
        byte[] key, List<Header> headers, byte[] value) {

    static LogRecord of(String cluster, ConsumerRecord<byte[], byte[]> r) {
        return new LogRecord(cluster, r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(),
                List.of(r.headers().toArray()), r.value());
    }

    /** As the worker's consumer would have polled it. */
    ConsumerRecord<byte[], byte[]> toConsumerRecord() {
        return new ConsumerRecord<>(topic, partition, offset, timestamp, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value,
                new RecordHeaders(headers.toArray(Header[]::new)), Optional.empty());
    }

    String keyText() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("cluster", cluster).put("topic", topic).put("partition", partition).put("offset", offset)
                .put("timestamp", timestamp);
        put(json, "key", key);
        ArrayNode hs = json.putArray("headers");
        headers.forEach(h -> put(hs.addObject().put("name", h.key()), "value", h.value()));
        put(json, "value", value);
        return json;
    }

    static LogRecord fromJson(JsonNode json) {
        List<Header> headers = new ArrayList<>();
        json.path("headers").forEach(h -> headers.add(new RecordHeader(h.path("name").asText(), bytes(h, "value"))));
        return new LogRecord(json.path("cluster").asText(null), json.path("topic").asText("spin.requests"),
                json.path("partition").asInt(), json.path("offset").asLong(), json.path("timestamp").asLong(),
                bytes(json, "key"), headers, bytes(json, "value"));
    }

    private static void put(ObjectNode json, String field, byte[] bytes) {
        Encoded e = Encoded.of(bytes);
        json.put(field, e.text());
        if (e.encoding() != null) {
            json.put(field + "Encoding", e.encoding());
        }
    }

    private static byte[] bytes(JsonNode json, String field) {
        JsonNode text = json.path(field);
        return text.isTextual()
                ? new Encoded(text.asText(), json.path(field + "Encoding").asText(Encoded.UTF8)).bytes() : null;
    }
}

package dev.spinmatch.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spinmatch.events.EndMatch;
import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.EventFields;
import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.LeaveQueue;
import dev.spinmatch.events.SpinRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.function.Function;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Generators (QuickTheories) of request records as a hostile or careless producer writes them:
 * garbage, truncated and non-UTF-8 values, deep nesting, duplicate keys, every field missing, of the
 * wrong type or with a bad value, unknown fields, wrong or missing keys, null, duplicate, non-ASCII
 * and huge {@code traceId} headers; and valid records among them, some with hostile headers the
 * worker must ignore. Each record says what the worker must make of it ({@link HostileRecord}).
 * Large payloads are drawn from a generated seed, so a run of 100,000 records takes seconds.
 */
public final class HostileRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventCodec CODEC = new EventCodec();
    private static final String TRACE = "traceId";
    private static final String HEADER_TRACE_FIELD = "header.traceId";
    private static final byte[] SOME_KEY = "k".getBytes(StandardCharsets.UTF_8);
    private static final String ID_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String ID_CHARACTERS = ID_START + "._~:@-";
    private static final String PRINTABLE = IntStream.rangeClosed('!', '~').mapToObj(c -> String.valueOf((char) c))
            .collect(Collectors.joining());

    private HostileRecords() {
    }

    /** Valid and invalid records mixed, about one in four valid. */
    public static Gen<HostileRecord> any() {
        return Generate.frequency(Pair.of(1, valid()), Pair.of(3, invalid()));
    }

    /** Records the worker must apply, each with the event it carries. */
    public static Gen<HostileRecord> valid() {
        return Generate.oneOf(
                events().zip(otherHeaders(), (e, h) -> validRecord("valid", e, encode(e), h)),
                events().map(HostileRecords::withoutTrace).zip(traces(), (e, t) ->
                        new HostileRecord("trace in header", key(e), encode(e), List.of(header(TRACE, t)), withTrace(e, t), null)),
                events().map(e -> withTrace(e, e.traceId() == null ? "t" : e.traceId())).map(e ->
                        validRecord("trace in JSON, null trace header ignored", e, encode(e), List.of(header(TRACE, (byte[]) null)))),
                events().zip(Generate.range(1, 16_384), (e, pad) ->
                        validRecord("padded with whitespace", e, padded(encode(e), pad), List.of())));
    }

    /** Records the worker must dead-letter, each with the field the dead letter must name. */
    public static Gen<HostileRecord> invalid() {
        return Generate.oneOf(garbage(), truncated(), notUtf8(), deeplyNested(), duplicateKey(), missingField(),
                wrongType(), badText(), unknownField(), badKey(), badTraceHeader());
    }

    // ------------------------------------------------------------------ valid events

    public static Gen<SpinRequest> events() {
        Gen<String> users = ids(1, EventFields.MAX_ID_LENGTH);
        Gen<String> pools = Generate.pick(List.of("default", "p", "eu.video", "a-b_c.9", "z".repeat(64)));
        Gen<Instant> times = Generate.longRange(EventFields.EARLIEST.getEpochSecond(), EventFields.LATEST.getEpochSecond() - 1)
                .zip(Generate.range(0, 999_999_999), Instant::ofEpochSecond);
        Gen<String> traces = orNull(traces());
        Gen<Integer> types = Generate.range(0, 2);
        return types.zip(uuids(), users, uuids(), (type, eventId, user, id) -> new Object[] {type, eventId, user, id})
                .zip(pools, times, traces, (p, pool, at, trace) -> event((int) p[0], (UUID) p[1], (String) p[2], (UUID) p[3],
                        pool, at, trace));
    }

    private static SpinRequest event(int type, UUID eventId, String user, UUID id, String pool, Instant at, String trace) {
        switch (type) {
            case 0:
                return new JoinQueue(eventId, user, id, pool, at, trace);
            case 1:
                return new LeaveQueue(eventId, user, id, at, trace);
            default:
                return new EndMatch(eventId, user, id, at, trace);
        }
    }

    private static Gen<String> traces() {
        return ids(1, EventFields.MAX_ID_LENGTH);
    }

    /** Valid ids ({@link EventFields#ID_PATTERN}): a letter or digit, then id characters. */
    private static Gen<String> ids(int min, int max) {
        return text(min, max, ID_START, ID_CHARACTERS);
    }

    /** Printable ASCII without spaces; lengths past a few hundred come from a seed. */
    private static Gen<String> printable(int min, int max) {
        return text(min, max, PRINTABLE, PRINTABLE);
    }

    private static Gen<String> text(int min, int max, String first, String rest) {
        return Generate.range(min, max).zip(Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE), (length, seed) -> {
            Random random = new Random(seed);
            char[] chars = new char[length];
            for (int i = 0; i < length; i++) {
                String from = i == 0 ? first : rest;
                chars[i] = from.charAt(random.nextInt(from.length()));
            }
            return new String(chars);
        });
    }

    private static Gen<UUID> uuids() {
        Gen<Long> longs = Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE);
        return longs.zip(longs, UUID::new);
    }

    /** Headers of other names, with any value (null, empty, binary): the worker must ignore them. */
    private static Gen<List<Header>> otherHeaders() {
        Gen<Header> headers = Generate.pick(List.of("x", "eventId", "TRACEID", "trace-id", " traceId", "type"))
                .zip(orNull(bytes(0, 300)), HostileRecords::header);
        return org.quicktheories.generators.SourceDSL.lists().of(headers).ofSizeBetween(0, 4);
    }

    // ------------------------------------------------------------------ invalid values

    /** Bytes that are no JSON object at all, so the dead letter names the value. */
    private static Gen<HostileRecord> garbage() {
        Gen<byte[]> texts = Generate.pick(List.of("", "42", "\"a string\"", "[]", "null", "true", "{}x", "{", "}"))
                .map(t -> t.getBytes(StandardCharsets.UTF_8));
        return Generate.oneOf(texts, Generate.constant(() -> (byte[]) null), bytes(1, 2_000), bytes(16_384, 65_536))
                .map(v -> v != null && isObject(v) ? new byte[] {'[', '{'} : v)
                .map(v -> new HostileRecord("garbage", SOME_KEY, v, List.of(), null, "value"));
    }

    private static Gen<HostileRecord> truncated() {
        return events().zip(Generate.range(0, Integer.MAX_VALUE), (e, cut) -> {
            byte[] json = encode(e);
            return invalidRecord("truncated", e, Arrays.copyOf(json, cut % json.length), "value");
        });
    }

    /** A string value whose bytes are not UTF-8 (a lone continuation byte, an overlong form, 0xFF). */
    private static Gen<HostileRecord> notUtf8() {
        Gen<byte[]> bad = Generate.pick(List.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xE2, (byte) 0x28, (byte) 0xA1}));
        return events().zip(bad, (e, b) -> {
            ObjectNode json = tree(e);
            json.put("userId", "\u00a7");
            return invalidRecord("not UTF-8", e, replace(bytes(json), "\u00a7".getBytes(StandardCharsets.UTF_8), b), "value");
        });
    }

    private static Gen<HostileRecord> deeplyNested() {
        return Generate.range(2_000, 10_000).map(depth -> new HostileRecord("nested " + depth + " deep", SOME_KEY,
                ("{\"type\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8), List.of(),
                null, "value"));
    }

    private static Gen<HostileRecord> duplicateKey() {
        return eventAndField(HostileRecords::fields, (e, field) -> {
            String json = new String(encode(e), StandardCharsets.UTF_8);
            String duplicated = "{\"" + field + "\":\"again\"," + json.substring(1);
            return invalidRecord("duplicate " + field, e, duplicated.getBytes(StandardCharsets.UTF_8), "value");
        });
    }

    private static Gen<HostileRecord> missingField() {
        return eventAndField(HostileRecords::requiredFields, (e, field) -> {
            ObjectNode json = tree(e);
            json.remove(field);
            return invalidRecord("missing " + field, e, bytes(json), field);
        });
    }

    private static Gen<HostileRecord> wrongType() {
        Gen<JsonNode> values = Generate.pick(List.of("42", "-1.5e300", "true", "[]", "[\"x\"]", "{}", "{\"a\":1}"))
                .map(HostileRecords::parse);
        return eventAndField(HostileRecords::fields, (e, field) -> new Object[] {e, field}).zip(values, (pair, value) -> {
            SpinRequest e = (SpinRequest) pair[0];
            String field = (String) pair[1];
            ObjectNode json = tree(e);
            json.set(field, field.equals("v") ? parse("\"1\"") : value);
            return invalidRecord(field + " of the wrong type", e, bytes(json), field);
        });
    }

    /** A string that breaks the rule of its field. */
    private static Gen<HostileRecord> badText() {
        return eventAndField(HostileRecords::textFields, (e, field) -> new Object[] {e, field}).flatMap(pair -> {
            SpinRequest e = (SpinRequest) pair[0];
            String field = (String) pair[1];
            return badValues(field).map(bad -> {
                ObjectNode json = tree(e);
                json.put(field, bad);
                return invalidRecord("bad " + field, e, bytes(json), field);
            });
        });
    }

    private static Gen<String> badValues(String field) {
        switch (field) {
            case "type":
                return Generate.pick(List.of("", "teleport", "JOIN_QUEUE", "match_created", "spin_expired"));
            case "userId":
                return Generate.oneOf(Generate.pick(List.of("", "a b", "tab\there", "\u00fcser", "nul\u0000l", ".dot",
                        "-dash", "a/b", "a%40b", "a?b")), ids(EventFields.MAX_ID_LENGTH + 1, 65_536));
            case "pool":
                return Generate.oneOf(Generate.pick(List.of("", "Bad Pool", "-x", "p\u00f6ol")),
                        Generate.range(65, 65_536).map("a"::repeat));
            case "traceId":
                return Generate.oneOf(Generate.pick(List.of("", "a b", "\u00fc", "_x", "a+b")),
                        ids(EventFields.MAX_ID_LENGTH + 1, 10_000));
            case "occurredAt":
                return Generate.pick(List.of("", "yesterday", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
                        "+300000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2026-01-01", "1767225600"));
            default:
                return Generate.oneOf(uuids().map(u -> "{" + u + "}"), uuids().map(u -> u + "0"), uuids().map(u -> " " + u),
                        Generate.pick(List.of("", "1-1-1-1-1", "not-a-uuid")), printable(37, 1_000));
        }
    }

    private static Gen<HostileRecord> unknownField() {
        return events().zip(printable(1, 100).map(n -> "x_" + n.replaceAll("[^A-Za-z0-9]", "")), (e, name) -> {
            ObjectNode json = tree(e);
            json.put(name, "surprise");
            return invalidRecord("unknown field", e, bytes(json), name);
        });
    }

    // ------------------------------------------------------------------ invalid keys and headers

    private static Gen<HostileRecord> badKey() {
        return events().zip(orNull(bytes(0, 300)), (e, key) -> new HostileRecord("bad key",
                Arrays.equals(key, key(e)) ? null : key, encode(e), List.of(), null, "key"));
    }

    private static Gen<HostileRecord> badTraceHeader() {
        Gen<List<Header>> headers = Generate.oneOf(
                Generate.constant(() -> List.of(header(TRACE, (byte[]) null))),
                Generate.range(2, 4).zip(traces(), (n, t) -> java.util.Collections.nCopies(n, header(TRACE, t))),
                bytes(0, 100).map(b -> b.length == 0 ? b : withNonPrintable(b)).map(b -> List.of(header(TRACE, b))),
                bytes(EventFields.MAX_ID_LENGTH + 1, 65_536).map(b -> List.of(header(TRACE, b))));
        return events().map(HostileRecords::withoutTrace).zip(headers, (e, h) ->
                new HostileRecord("bad trace header", key(e), encode(e), h, null, HEADER_TRACE_FIELD));
    }

    // ------------------------------------------------------------------ helpers

    private static <T> Gen<T> orNull(Gen<T> gen) {
        return Generate.frequency(Pair.of(1, Generate.constant(() -> null)), Pair.of(3, gen));
    }

    /** An event and one of its fields (one {@code fields} names), made into a record by {@code make}. */
    private static <R> Gen<R> eventAndField(Function<SpinRequest, List<String>> fields, BiFunction<SpinRequest, String, R> make) {
        return events().zip(Generate.range(0, Integer.MAX_VALUE), (e, pick) -> {
            List<String> candidates = fields.apply(e);
            return make.apply(e, candidates.get(pick % candidates.size()));
        });
    }

    private static HostileRecord validRecord(String kind, SpinRequest event, byte[] value, List<Header> headers) {
        return new HostileRecord(kind, key(event), value, headers, event, null);
    }

    private static HostileRecord invalidRecord(String kind, SpinRequest event, byte[] value, String field) {
        return new HostileRecord(kind, key(event), value, List.of(), null, field);
    }

    private static byte[] key(SpinRequest event) {
        return event.userId().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> fields(SpinRequest event) {
        List<String> fields = new ArrayList<>(List.of("type", "v", "eventId", "userId", "occurredAt"));
        fields.addAll(specificFields(event));
        if (event.traceId() != null) {
            fields.add(TRACE);
        }
        return fields;
    }

    private static List<String> requiredFields(SpinRequest event) {
        return fields(event).stream().filter(f -> !f.equals("pool") && !f.equals(TRACE)).toList();
    }

    private static List<String> textFields(SpinRequest event) {
        return fields(event).stream().filter(f -> !f.equals("v")).toList();
    }

    private static List<String> specificFields(SpinRequest event) {
        if (event instanceof JoinQueue) {
            return List.of("spinId", "pool");
        }
        return List.of(event instanceof LeaveQueue ? "spinId" : "matchId");
    }

    private static SpinRequest withoutTrace(SpinRequest e) {
        return withTrace(e, null);
    }

    private static SpinRequest withTrace(SpinRequest e, String traceId) {
        if (e instanceof JoinQueue j) {
            return new JoinQueue(j.eventId(), j.userId(), j.spinId(), j.pool(), j.occurredAt(), traceId);
        }
        if (e instanceof LeaveQueue l) {
            return new LeaveQueue(l.eventId(), l.userId(), l.spinId(), l.occurredAt(), traceId);
        }
        EndMatch m = (EndMatch) e;
        return new EndMatch(m.eventId(), m.userId(), m.matchId(), m.occurredAt(), traceId);
    }

    /** Random bytes from a generated length and seed. */
    private static Gen<byte[]> bytes(int min, int max) {
        return Generate.range(min, max).zip(Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE), (length, seed) -> {
            byte[] bytes = new byte[length];
            new Random(seed).nextBytes(bytes);
            return bytes;
        });
    }

    /** The bytes with one of them outside printable ASCII, so they are never a valid traceId. */
    private static byte[] withNonPrintable(byte[] bytes) {
        byte[] out = bytes.clone();
        out[Math.floorMod(bytes[0], out.length)] = (byte) (bytes[0] >= 0 ? 0x20 : bytes[0]);
        return out;
    }

    private static Header header(String name, String value) {
        return header(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static Header header(String name, byte[] value) {
        return new RecordHeader(name, value);
    }

    private static boolean isObject(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            return node != null && node.isObject();
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] padded(byte[] json, int spaces) {
        byte[] out = new byte[json.length + spaces];
        Arrays.fill(out, (byte) ' ');
        System.arraycopy(json, 0, out, spaces / 2, json.length);
        return out;
    }

    /** {@code in} with its first occurrence of {@code target} replaced by {@code with}. */
    private static byte[] replace(byte[] in, byte[] target, byte[] with) {
        int at = new String(in, StandardCharsets.ISO_8859_1).indexOf(new String(target, StandardCharsets.ISO_8859_1));
        byte[] out = new byte[in.length - target.length + with.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(with, 0, out, at, with.length);
        System.arraycopy(in, at + target.length, out, at + with.length, in.length - at - target.length);
        return out;
    }

    private static byte[] encode(SpinRequest event) {
        return CODEC.encode(event);
    }

    private static ObjectNode tree(SpinRequest event) {
        return (ObjectNode) parse(new String(encode(event), StandardCharsets.UTF_8));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.spinmatch.spinctl.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spinmatch.events.EndMatch;
import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.InvalidEventException;
import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.LeaveQueue;
import dev.spinmatch.events.SpinRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The story of one user, spin or trace: the recorded events about them, what the database decided
 * (rebuilt from its spins, matches, no-op records and repair log, with why each partner was chosen) and
 * the lines of worker decision logs, in time order.
 */
public final class Explain {
    /** What to explain: exactly one of the three. */
    public record Subject(String userId, String spinId, String traceId) {
        boolean matches(String user, String spin, String trace) {
            return userId != null ? userId.equals(user)
                    : spinId != null ? spinId.equals(spin) : traceId.equals(trace);
        }
    }

    private record Line(Instant at, int source, long order, String text) {
    }

    private static final Comparator<Line> ORDER = Comparator.comparing(Line::at).thenComparingInt(Line::source)
            .thenComparingLong(Line::order);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataSource db;
    private final List<LogRecord> log;
    private final List<Path> decisionLogs;
    private final EventCodec codec = new EventCodec();

    public Explain(DataSource db, List<LogRecord> log, List<Path> decisionLogs) {
        this.db = db;
        this.log = log;
        this.decisionLogs = decisionLogs;
    }

    public List<String> story(Subject subject) throws SQLException, IOException {
        List<Line> lines = new ArrayList<>(events(subject));
        try (Connection c = db.getConnection()) {
            c.setReadOnly(true);
            for (String user : users(c, subject)) {
                lines.addAll(decisions(c, user, subject));
            }
        }
        lines.addAll(logLines(subject));
        lines.sort(ORDER);
        return lines.stream().map(l -> l.at() + "  " + l.text()).toList();
    }

    // ---------------------------------------------------------------- recorded events

    private List<Line> events(Subject subject) {
        List<Line> lines = new ArrayList<>();
        for (LogRecord r : log) {
            String text = describe(r, subject);
            if (text != null) {
                lines.add(new Line(Instant.ofEpochMilli(r.timestamp()), 0, lines.size(),
                        "event     " + r.partition() + "@" + r.offset() + " " + text));
            }
        }
        return lines;
    }

    /** The record told as an event, or null when it is not about the subject. */
    private String describe(LogRecord r, Subject subject) {
        try {
            SpinRequest e = codec.decodeRequest(r.value());
            String spin = e instanceof JoinQueue j ? j.spinId().toString()
                    : e instanceof LeaveQueue l ? l.spinId().toString() : null;
            if (!subject.matches(e.userId(), spin, e.traceId())) {
                return null;
            }
            String what = e instanceof JoinQueue j ? "join_queue spin=" + j.spinId() + " pool=" + j.pool()
                    : e instanceof LeaveQueue l ? "leave_queue spin=" + l.spinId()
                    : "end_match match=" + ((EndMatch) e).matchId();
            return what + " user=" + e.userId() + " event=" + e.eventId() + trace(e.traceId());
        } catch (InvalidEventException bad) {
            return subject.userId() != null && subject.userId().equals(r.keyText())
                    ? "malformed record (key " + r.keyText() + "): " + bad.field() + ": " + bad.reason()
                            + " -> dead-lettered, never applied"
                    : null;
        }
    }

    // ---------------------------------------------------------------- decisions

    private static Set<String> users(Connection c, Subject subject) throws SQLException {
        if (subject.userId() != null) {
            return Set.of(subject.userId());
        }
        return subject.spinId() != null ? strings(c, "user_of_spin", subject.spinId())
                : strings(c, "users_of_trace", subject.traceId(), subject.traceId(), subject.traceId(), subject.traceId());
    }

    private List<Line> decisions(Connection c, String user, Subject subject) throws SQLException {
        List<Line> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.get("story"))) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String spin = rs.getString("spin_id");
                    if (subject.userId() == null && !subject.matches(user, spin, rs.getString("trace_id"))) {
                        continue;
                    }
                    Instant at = rs.getTimestamp("at").toInstant();
                    int order = lines.size();
                    lines.add(new Line(at, 1, order, "decision  " + decision(rs)));
                    if ("matched".equals(rs.getString("kind"))) {
                        why(c, rs.getString("match_id")).forEach(text -> lines.add(new Line(at, 1, order, "            " + text)));
                    }
                }
            }
        }
        return lines;
    }

    private static String decision(ResultSet rs) throws SQLException {
        String user = rs.getString("user_id");
        String spin = rs.getString("spin_id");
        String match = rs.getString("match_id");
        String partner = rs.getString("partner_id");
        String detail = rs.getString("detail");
        String text = switch (rs.getString("kind")) {
            case "queued" -> user + " queued spin=" + spin + " in pool " + detail;
            case "superseded" -> user + " spin=" + spin + " superseded by a newer spin";
            case "matched" -> user + " matched with " + partner + " match=" + match + " spin=" + spin;
            case "cancelled" -> user + " cancelled spin=" + spin;
            case "expired" -> user + " spin=" + spin + " expired (waited past the spin timeout)";
            case "match_ended" -> user + " match=" + match + " with " + partner + " ended: " + detail;
            case "noop", "rejected" -> user + " " + rs.getString("kind") + ": " + detail
                    + (spin == null ? "" : " spin=" + spin) + (match == null ? "" : " match=" + match);
            default -> user + " " + rs.getString("kind") + " spin=" + spin + " match=" + match
                    + (detail == null ? "" : ": " + detail);
        };
        return text + trace(rs.getString("trace_id"));
    }

    /** Why that partner: the longest-waiting, and who was passed over for what reason. */
    private static List<String> why(Connection c, String matchId) throws SQLException {
        List<String> why = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.get("why_partner"))) {
            ps.setString(1, matchId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String user = rs.getString("user_id");
                    String chooser = rs.getString("chooser");
                    Instant since = rs.getTimestamp("at").toInstant();
                    if (rs.getString("role").equals("partner")) {
                        why.add("why: matching " + chooser + ", the oldest waiting pairable user of the pool was "
                                + user + " (waiting since " + since + ")");
                    } else if (rs.getTimestamp("last_matched") != null) {
                        why.add("skipped " + user + " (waiting since " + since + "): recent partner of " + chooser
                                + ", matched at " + rs.getTimestamp("last_matched").toInstant()
                                + ", within the rematch cooldown");
                    } else {
                        why.add("skipped " + user + " (waiting since " + since
                                + "): locked by another transaction (contended) or its join not yet committed");
                    }
                }
            }
        }
        return why;
    }

    // ---------------------------------------------------------------- worker decision logs

    /** JSON log lines (logback JsonEncoder) whose userId, spinId or traceId, top level or MDC, is the subject. */
    private List<Line> logLines(Subject subject) throws IOException {
        List<Line> lines = new ArrayList<>();
        for (Path file : decisionLogs) {
            for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                JsonNode json = parse(text);
                if (json != null && subject.matches(field(json, "userId"), field(json, "spinId"), field(json, "traceId"))) {
                    lines.add(new Line(Instant.ofEpochMilli(json.path("timestamp").asLong()), 2, lines.size(),
                            "log       " + json.path("level").asText() + " " + json.path("message").asText()
                                    + trace(field(json, "traceId"))));
                }
            }
        }
        return lines;
    }

    private static JsonNode parse(String line) {
        try {
            return line.isBlank() ? null : JSON.readTree(line);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String field(JsonNode json, String name) {
        JsonNode value = json.hasNonNull(name) ? json.get(name) : json.path("mdc").get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Set<String> strings(Connection c, String query, String... params) throws SQLException {
        Set<String> found = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.get(query))) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }

    private static String trace(String traceId) {
        return traceId == null ? "" : " trace=" + traceId;
    }
}

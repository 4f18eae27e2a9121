package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.embedded.TestDatabases.TestDatabase;
import dev.spinmatch.events.EventFields;
import dev.spinmatch.events.InvalidEventException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API, the publisher and the worker validate with {@link EventFields}; the database with
 * {@code spin._user_problem}, {@code _trace_problem}, {@code _pool_problem} and {@code _is_uuid}. When the two
 * disagree, an id the API accepted is rejected by the database (the user's spin silently goes nowhere) or one
 * the database takes cannot be read back through the API. A generated corpus goes through both and every
 * verdict must be the same, word for word.
 */
class IdRulesAgreeBetweenJavaAndSqlTest {
    private static final String VALID = "ABCXYZabcxyz0189._~:@-";
    private static TestDatabase db;
    private static Connection connection;

    @BeforeAll
    static void open() throws Exception {
        db = SpinDatabase.create();
        connection = db.connect();
    }

    @AfterAll
    static void close() throws Exception {
        connection.close();
        db.close();
    }

    @Test
    void userIdsAreJudgedAlike() throws Exception {
        List<String> corpus = textCorpus();
        assertAgree(corpus, "spin._user_problem(v)",
                v -> java(() -> EventFields.userId(v), "invalid userId (p_user_id): "));
        assertThat(corpus.stream().filter(v -> java(() -> EventFields.userId(v), "") == null).count())
                .as("the corpus holds valid ids too").isGreaterThan(100);
    }

    @Test
    void traceIdsAreJudgedAlike() throws Exception {
        assertAgree(textCorpus(), "spin._trace_problem(v)",
                v -> java(() -> EventFields.traceId(v), "invalid traceId (p_trace_id): "));
    }

    @Test
    void poolsAreJudgedAlike() throws Exception {
        List<String> corpus = textCorpus();
        corpus.addAll(List.of("default", "a", "a".repeat(64), "a".repeat(65), "Games", "g-1.x_y", "-g", "g\n"));
        assertAgree(corpus, "spin._pool_problem(v)", v -> java(() -> EventFields.pool(v), "invalid pool (p_pool): "));
    }

    @Test
    void uuidsAreJudgedAlike() throws Exception {
        List<String> corpus = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            String uuid = UUID.randomUUID().toString();
            corpus.add(uuid);
            corpus.add(uuid.toUpperCase());
            corpus.add(uuid + "\n");
            corpus.add(uuid.substring(1));
            corpus.add(uuid.replace('-', random.nextBoolean() ? '_' : 'x'));
            StringBuilder changed = new StringBuilder(uuid);
            changed.setCharAt(random.nextInt(uuid.length()), "0aG-z {".charAt(random.nextInt(7)));
            corpus.add(changed.toString());
        }
        corpus.addAll(List.of("1-1-1-1-1", "", "{" + UUID.randomUUID() + "}", "00000000000000000000000000000000"));
        assertAgree(corpus, "CASE WHEN spin._is_uuid(v) THEN NULL ELSE 'invalid' END",
                v -> java(() -> EventFields.uuid("spinId", v), "") == null ? null : "invalid");
    }

    /**
     * apply_batch's set-based joins check a join's user id, pool and trace id with one expression
     * ({@code spin._fields_ok}); it must accept exactly what the three rules accept, or a valid join would take the
     * slow path (harmless) or an invalid one be applied (not).
     */
    @Test
    void theSetBasedPathsCombinedCheckAcceptsExactlyWhatTheThreeRulesAccept() throws Exception {
        List<String> ids = textCorpus();
        List<String> pools = List.of("default", "a", "a".repeat(64), "a".repeat(65), "Games", "g-1.x_y", "-g", "g\n", "");
        Random random = new Random(11);
        List<String> users = new ArrayList<>();
        List<String> poolOf = new ArrayList<>();
        List<String> traces = new ArrayList<>();
        for (String id : ids) {
            users.add(id);
            poolOf.add(pools.get(random.nextInt(pools.size())));
            traces.add(random.nextInt(5) == 0 ? null : ids.get(random.nextInt(ids.size())));
        }
        List<String> disagreements = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT spin._fields_ok(u, p, t) IS TRUE,"
                + " coalesce(spin._user_problem(u), spin._pool_problem(p), spin._trace_problem(t)) IS NULL"
                + " FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS x(u, p, t, n) ORDER BY n")) {
            statement.setArray(1, connection.createArrayOf("text", users.toArray()));
            statement.setArray(2, connection.createArrayOf("text", poolOf.toArray()));
            statement.setArray(3, connection.createArrayOf("text", traces.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                for (int i = 0; rs.next(); i++) {
                    if (rs.getBoolean(1) != rs.getBoolean(2)) {
                        disagreements.add("'" + users.get(i) + "' '" + poolOf.get(i) + "' '" + traces.get(i) + "': combined "
                                + rs.getBoolean(1) + ", rules " + rs.getBoolean(2));
                    }
                }
            }
        }
        assertThat(disagreements).as("%d joins", users.size()).isEmpty();
    }

    /**
     * Every printable ASCII character alone and inside an id, dot segments, the length limits, control
     * characters, accented letters and emoji (surrogate pairs: one code point, two Java chars), and random
     * strings mostly of valid characters. No NUL: PostgreSQL text cannot hold one (Java rejects it anyway).
     */
    private static List<String> textCorpus() {
        List<String> corpus = new ArrayList<>(List.of("", ".", "..", "...", "a.", ".a", "-a", "a-", "~", "@a",
                "a".repeat(127), "a".repeat(128), "a".repeat(129), "é".repeat(100), "😀".repeat(65), "a\n", "a b",
                "a\tb", "A", "\u007f", "ß", "a\u0301"));
        for (char c = 1; c < 128; c++) {
            corpus.add(String.valueOf(c));
            corpus.add("a" + c + "b");
            corpus.add(c + "a");
        }
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(10) == 0 ? 120 + random.nextInt(15) : random.nextInt(20);
            for (int j = 0; j < length; j++) {
                id.appendCodePoint(random.nextInt(20) == 0 ? 1 + random.nextInt(0x1F64F)
                        : VALID.charAt(random.nextInt(VALID.length())));
            }
            String text = id.toString();
            if (text.indexOf('\0') < 0 && !text.codePoints().anyMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)) {
                corpus.add(text);
            }
        }
        return corpus;
    }

    private void assertAgree(List<String> corpus, String sqlVerdict, Function<String, String> javaVerdict)
            throws Exception {
        List<String> sql = sqlVerdicts(corpus, sqlVerdict);
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            String java = javaVerdict.apply(corpus.get(i));
            if (!Objects.equals(sql.get(i), java)) {
                disagreements.add("'" + corpus.get(i) + "': Java " + java + " / SQL " + sql.get(i));
            }
        }
        assertThat(disagreements).as("%d values", corpus.size()).isEmpty();
    }

    private static List<String> sqlVerdicts(List<String> corpus, String verdict) throws Exception {
        List<String> result = new ArrayList<>();
        Array values = connection.createArrayOf("text", corpus.toArray());
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + verdict + " FROM unnest(?::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n")) {
            statement.setArray(1, values);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
        }
        assertThat(result).hasSameSizeAs(corpus);
        return result;
    }

    /** null when Java accepts, else its reason after {@code prefix} (the SQL message's form). */
    private static String java(Runnable validation, String prefix) {
        try {
            validation.run();
            return null;
        } catch (InvalidEventException e) {
            return prefix + e.reason();
        }
    }
}

package dev.spinmatch.spinctl.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The outcome export: one {@link Outcome} per spin as NDJSON, read from any spinmatch database. */
public final class Outcomes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Outcomes() {
    }

    public static List<Outcome> read(DataSource db) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(Sql.get("outcomes")); ResultSet rs = ps.executeQuery()) {
                List<Outcome> outcomes = new ArrayList<>();
                while (rs.next()) {
                    outcomes.add(new Outcome(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
                }
                return outcomes;
            }
        }
    }

    public static void write(List<Outcome> outcomes, Writer out) throws IOException {
        for (Outcome o : outcomes) {
            out.write(JSON.writeValueAsString(o));
            out.write('\n');
        }
        out.flush();
    }

    public static List<Outcome> read(Path file) throws IOException {
        List<Outcome> outcomes = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    outcomes.add(JSON.readValue(line, Outcome.class));
                }
            }
        }
        return outcomes;
    }
}

package dev.spinmatch.spinctl.check;

import dev.spinmatch.spinctl.reach.DatabaseReach;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Runs {@code spin.invariant_violations} against any database: the one definition of healthy. */
public final class InvariantCheck {
    private static final String QUERY = sql("invariant_violations.sql");
    private final DataSource dataSource;

    public InvariantCheck(String url, String user, String password) {
        this.dataSource = DatabaseReach.dataSource(url, user, password);
    }

    /** @param strandedGrace a PostgreSQL interval, e.g. {@code 1 second} */
    public List<Violation> violations(String strandedGrace) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(QUERY)) {
            s.setString(1, strandedGrace);
            List<Violation> found = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(new Violation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
            return found;
        }
    }

    private static String sql(String name) {
        try (InputStream in = InvariantCheck.class.getResourceAsStream("/sql/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.spinmatch.spinctl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * CPU time of a PostgreSQL server on this machine (Linux /proc): the postmaster's own, that of the
 * backends it has reaped, and that of its live children. For the benchmarks' breakdowns of CPU time.
 */
public final class ServerCpu {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux
    private final long postmaster;

    private ServerCpu(long postmaster) {
        this.postmaster = postmaster;
    }

    public static ServerCpu of(DataSource db) throws SQLException, IOException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return new ServerCpu(Long.parseLong(fields(rs.getLong(1))[1]));
        }
    }

    public Duration total() throws IOException {
        String[] own = fields(postmaster);
        long ticks = tick(own, 11) + tick(own, 12) + tick(own, 13) + tick(own, 14);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String[] child = fieldsOrNull(p.resolve("stat"));
                if (child != null && Long.parseLong(child[1]) == postmaster) {
                    ticks += tick(child, 11) + tick(child, 12);
                }
            }
        }
        return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
    }

    /** The fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [11] utime, [12] stime, ... */
    private static String[] fields(long pid) throws IOException {
        return after(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    private static String[] fieldsOrNull(Path stat) {
        try {
            return after(Files.readString(stat));
        } catch (IOException e) {
            return null; // the process ended meanwhile
        }
    }

    private static String[] after(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static long tick(String[] fields, int i) {
        return Long.parseLong(fields[i]);
    }
}

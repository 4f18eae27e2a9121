package dev.spinmatch.worker;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Connections for explicit transactions, whatever the pool's auto-commit default is. */
final class Transactions {
    private Transactions() {
    }

    static Connection begin(DataSource dataSource) throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return connection;
    }
}

package dev.spinmatch.spinctl.up;

import java.util.Optional;

/**
 * What {@code spinctl up} starts. An empty {@code kafkaBootstrap} or {@code dbUrl} means an embedded
 * broker or database in this JVM.
 */
public record StackOptions(Optional<String> kafkaBootstrap, Optional<String> dbUrl, String dbUser, String dbPassword,
        int workers, int apiPort, int partitions, int userRateLimit) {
}

package dev.spinmatch.spinctl.replay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeMap;

/** Orders of a recorded log. */
final class LogOrder {
    static final Comparator<LogRecord> BY_PARTITION_AND_OFFSET =
            Comparator.comparingInt(LogRecord::partition).thenComparingLong(LogRecord::offset);

    private LogOrder() {
    }

    /**
     * One total order for one replaying worker: each partition stays in offset order (one user's
     * events never swap, as in Kafka), and partitions interleave by timestamp, ties by partition.
     */
    static List<LogRecord> merged(Collection<LogRecord> records) {
        TreeMap<Integer, Deque<LogRecord>> byPartition = new TreeMap<>();
        records.stream().sorted(BY_PARTITION_AND_OFFSET)
                .forEach(r -> byPartition.computeIfAbsent(r.partition(), p -> new ArrayDeque<>()).add(r));
        PriorityQueue<Deque<LogRecord>> heads = new PriorityQueue<>(
                Comparator.comparingLong((Deque<LogRecord> d) -> d.peek().timestamp())
                        .thenComparingInt(d -> d.peek().partition()));
        heads.addAll(byPartition.values());
        List<LogRecord> merged = new ArrayList<>(records.size());
        while (!heads.isEmpty()) {
            Deque<LogRecord> head = heads.poll();
            merged.add(head.poll());
            if (!head.isEmpty()) {
                heads.add(head);
            }
        }
        return merged;
    }
}

package dev.spinmatch.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * How long each partition this worker owns has gone without progress while records wait in it: the
 * gauge {@code spinmatch_partition_stalled_seconds{topic,partition}}. Progress is an offset commit,
 * or having nothing to do (no lag and no uncommitted records in hand). A partition whose batch keeps
 * failing grows it; the alert {@code SpinmatchPartitionStalled} fires on it. Written by the consumer
 * thread, read by the scrape.
 */
final class PartitionProgress {
    private final MeterRegistry registry;
    private final LongSupplier nanoClock;
    private final Map<TopicPartition, Progress> owned = new ConcurrentHashMap<>();

    PartitionProgress(MeterRegistry registry, LongSupplier nanoClock) {
        this.registry = registry;
        this.nanoClock = nanoClock;
    }

    void assigned(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            owned.computeIfAbsent(partition, this::register);
        }
    }

    private Progress register(TopicPartition partition) {
        Progress progress = new Progress(nanoClock.getAsLong());
        progress.gauge = Gauge.builder("spinmatch.partition.stalled", progress, p -> p.stalledSeconds(nanoClock.getAsLong()))
                .description("seconds without progress (an offset commit) while records wait in the partition")
                .baseUnit("seconds").tags("topic", partition.topic(), "partition", Integer.toString(partition.partition()))
                .register(registry);
        return progress;
    }

    void released(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            Progress progress = owned.remove(partition);
            if (progress != null) {
                registry.remove(progress.gauge);
            }
        }
    }

    /** A poll handed out records of {@code partition}: they wait until their offsets are committed. */
    void fetched(TopicPartition partition) {
        Progress progress = owned.get(partition);
        if (progress != null) {
            progress.inHand = true;
        }
    }

    void committed(Collection<TopicPartition> partitions) {
        long now = nanoClock.getAsLong();
        for (TopicPartition partition : partitions) {
            Progress progress = owned.get(partition);
            if (progress != null) {
                progress.inHand = false;
                progress.lastProgress = now;
            }
        }
    }

    /** After each poll: the records between the consumer's position and the end of the partition. */
    void lag(TopicPartition partition, long lag) {
        Progress progress = owned.get(partition);
        if (progress != null) {
            progress.lag = lag;
            if (lag == 0 && !progress.inHand) {
                progress.lastProgress = nanoClock.getAsLong();
            }
        }
    }

    private static final class Progress {
        private volatile long lastProgress;
        private volatile long lag;
        private volatile boolean inHand;
        private Gauge gauge;

        Progress(long now) {
            lastProgress = now;
        }

        double stalledSeconds(long now) {
            return lag > 0 || inHand ? (now - lastProgress) / 1e9 : 0;
        }
    }
}

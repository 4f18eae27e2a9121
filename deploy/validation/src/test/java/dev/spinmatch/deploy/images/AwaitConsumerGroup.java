package dev.spinmatch.deploy.images;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;

/**
 * Waits until a consumer group has a member holding partitions of a topic ({@code joined}), or has no
 * member left ({@code empty}: a consumer that closed cleanly leaves at once, a killed one only after
 * its session times out). Exit code 0 when the state is reached in time, 1 otherwise.
 *
 * <p>usage: AwaitConsumerGroup BOOTSTRAP GROUP TOPIC joined|empty TIMEOUT_SECONDS
 */
public final class AwaitConsumerGroup {
    private AwaitConsumerGroup() {
    }

    public static void main(String[] args) throws Exception {
        String group = args[1];
        String topic = args[2];
        boolean wantJoined = args[3].equals("joined");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]))) {
            // the clock starts once the client is up: a slow JVM start must not eat the wait
            Instant deadline = Instant.now().plusSeconds(Long.parseLong(args[4]));
            String state;
            do {
                ConsumerGroupDescription description = describe(admin, group);
                long partitions = description == null ? 0 : assigned(description.members(), topic);
                state = description == null ? "unknown group"
                        : description.members().size() + " member(s) holding " + partitions + " partition(s) of " + topic;
                boolean joined = partitions > 0;
                boolean empty = description != null && description.members().isEmpty();
                if (wantJoined ? joined : empty) {
                    System.out.println("group " + group + ": " + state);
                    return;
                }
                Thread.sleep(500);
            } while (Instant.now().isBefore(deadline));
            System.out.println("group " + group + " not " + args[3] + " in time: " + state);
            System.exit(1);
        }
    }

    private static ConsumerGroupDescription describe(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        } catch (Exception e) {
            return null;
        }
    }

    private static long assigned(Collection<MemberDescription> members, String topic) {
        return members.stream().flatMap(m -> m.assignment().topicPartitions().stream())
                .filter(tp -> tp.topic().equals(topic)).count();
    }
}

package io.securechat.testsupport;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a service's consumer group is doing, as an operator would look at it: its state, members
 * and lag. Used by end-to-end tests that break nodes on purpose, to start the next test only once
 * the platform has recovered, and to say exactly what was stuck when it has not.
 */
public final class ConsumerGroups {

    private ConsumerGroups() {}

    /** A snapshot: state, member count and the lag of every partition the group has committed. */
    public record State(String group, String state, int members, Map<String, Long> lag) {

        public long totalLag() {
            return lag.values().stream().mapToLong(Long::longValue).sum();
        }

        public boolean caughtUp() {
            return "STABLE".equalsIgnoreCase(state) && members > 0 && totalLag() == 0;
        }

        @Override
        public String toString() {
            String lagging = lag.entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
            return group + ": " + state + ", " + members + " member(s), lag " + totalLag()
                    + (lagging.isEmpty() ? "" : " (" + lagging + ")");
        }
    }

    public static State describe(String group) {
        try (Admin admin = admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(java.util.List.of(group)).all()
                    .get(10, TimeUnit.SECONDS).get(group);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            Map<String, Long> lag = new TreeMap<>();
            committed.forEach((tp, om) -> lag.put(tp.toString(),
                    Math.max(0, ends.get(tp).offset() - (om == null ? 0 : om.offset()))));
            return new State(group, d.groupState().toString(), d.members().size(), lag);
        } catch (Exception e) {
            return new State(group, "UNKNOWN (" + e.getClass().getSimpleName() + ")", 0, Map.of());
        }
    }

    /**
     * Waits until the group is stable with members and has consumed everything; prints its state
     * every 10 s meanwhile. Returns the last state, caught up or not: the caller decides.
     */
    public static State awaitCaughtUp(String group, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        long nextPrint = System.nanoTime();
        State s = describe(group);
        while (!s.caughtUp() && System.nanoTime() < end) {
            if (System.nanoTime() >= nextPrint) {
                System.out.println("[consumer group] waiting: " + s);
                nextPrint = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            }
            Thread.sleep(500);
            s = describe(group);
        }
        System.out.println("[consumer group] " + (s.caughtUp() ? "caught up: " : "NOT caught up: ") + s);
        return s;
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTap.BOOTSTRAP);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return Admin.create(p);
    }
}

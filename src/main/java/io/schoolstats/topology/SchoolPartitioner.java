package io.schoolstats.topology;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Which partition of the school stage owns a school: the one function both the repartition topics
 * into the school stage and the direct path ({@link ReportIntake}) use, so that a report that
 * skips the repartition lands in exactly the task the repartition would have sent it to.
 *
 * <p>It is the producer's default for a String key (murmur2 of the UTF-8 bytes), which is what the
 * repartition topics used before they named a partitioner: a deployment's stores keep their
 * placement, and a producer that keys reports by school id, as the contract asks, already writes
 * each report to the partition that owns its school (when its topic has as many partitions).
 */
final class SchoolPartitioner<V> implements StreamPartitioner<String, V> {
    /** The partition of {@code schoolId} among {@code partitions}. */
    static int partition(String schoolId, int partitions) {
        return KeyPartition.of(schoolId, partitions);
    }

    /**
     * {@code numPartitions} is the repartition topic's count, which Kafka Streams creates as
     * {@code Options.partitions()} and refuses to start with when an existing one differs; so the
     * direct path, which asks with {@code Options.partitions()}, gets the same answer.
     */
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
        // Never null here (a valid report has a school id, a valid row a key); if it were, Kafka's
        // own choice, as before this partitioner existed.
        return key == null ? Optional.empty() : Optional.of(Set.of(partition(key, numPartitions)));
    }
}

package io.schoolstats.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition a String key lands in where Kafka's producer places it by default (murmur2 of its
 * UTF-8 bytes): where the repartition topics put a unit's messages, so the task that owns a unit's
 * stores, and where {@link SchoolPartitioner} puts a school.
 */
public final class KeyPartition {
    private KeyPartition() {
    }

    public static int of(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}

package io.schoolstats.query;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Where the readers get the state stores from: a running KafkaStreams, or a test driver. */
@FunctionalInterface
public interface StoreSource {
    /**
     * The store of that name across this instance's tasks.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the stores are
     *         not queryable (starting, rebalancing)
     */
    <K, V> ReadOnlyKeyValueStore<K, V> store(String name);

    /**
     * The store of one task (one partition of the stage that owns the store), only while this
     * instance runs that task: reading it throws
     * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} when the task is another
     * instance's or is still being restored here. The store across tasks ({@link #store(String)})
     * leaves such a task out without saying so; a reader that must know what it read asks per task.
     */
    default <K, V> ReadOnlyKeyValueStore<K, V> store(String name, int partition) {
        if (partition != 0) {
            throw new org.apache.kafka.streams.errors.InvalidStateStoreException("one task per store here");
        }
        return store(name);
    }

    /** The tasks of each stage: the partitions of its input topics (one for a test driver). */
    default int partitions() {
        return 1;
    }

    /** A running application whose stages have {@code partitions} tasks each. */
    static StoreSource of(KafkaStreams streams, int partitions) {
        return new StoreSource() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore()));
            }

            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> store(String name, int partition) {
                return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore())
                        .withPartition(partition));
            }

            @Override
            public int partitions() {
                return partitions;
            }
        };
    }
}

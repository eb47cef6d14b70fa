package io.schoolstats.query;

import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

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

    /**
     * The store of one task as it is now, looked up once: reads go straight to it, where a store
     * from {@link #store(String, int)} looks the task up among all of the instance's on every read
     * (under a lock the stream threads take too). For readers that make many reads in a short
     * while, then drop it. Reading it throws
     * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while the application
     * is not RUNNING (a rebalance, in which tasks move) and once its store is closed (the task
     * left). A task this instance keeps as a standby keeps its store open: a reader that held
     * the store across a whole rebalance would read the standby's copy; the metrics' refreshes
     * take milliseconds, and a state change starts a full refresh that replaces what they show.
     */
    default <K, V> ReadOnlyKeyValueStore<K, V> taskStore(String name, int partition) {
        return store(name, partition);
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
            public <K, V> ReadOnlyKeyValueStore<K, V> taskStore(String name, int partition) {
                ReadOnlyKeyValueStore<K, V> task = streams.store(StoreQueryParameters.fromNameAndType(name,
                        new OneTask<K, V>()).withPartition(partition));
                return new WhileRunning<>(task, streams);
            }

            @Override
            public int partitions() {
                return partitions;
            }
        };
    }

    /**
     * The task's own store, as Kafka Streams hands it to the store it wraps across tasks (which
     * checks that it is open, and whose reads check again), without that wrapper.
     */
    final class OneTask<K, V> implements QueryableStoreType<ReadOnlyKeyValueStore<K, V>> {
        private final QueryableStoreType<ReadOnlyKeyValueStore<K, V>> keyValue = QueryableStoreTypes.keyValueStore();

        @Override
        public boolean accepts(StateStore store) {
            // A timestamped store would come back unwrapped (Kafka Streams wraps it only for its own types).
            return keyValue.accepts(store) && !(store instanceof TimestampedKeyValueStore);
        }

        @Override
        public ReadOnlyKeyValueStore<K, V> create(StateStoreProvider provider, String storeName) {
            List<ReadOnlyKeyValueStore<K, V>> stores = provider.stores(storeName, keyValue);
            if (stores.size() != 1) {
                throw new InvalidStateStoreException("expected one task's store " + storeName + ", found " + stores.size());
            }
            return stores.get(0);
        }
    }

    /** A task's store, read only while the application is RUNNING (see {@link #taskStore}). */
    final class WhileRunning<K, V> implements ReadOnlyKeyValueStore<K, V> {
        private final ReadOnlyKeyValueStore<K, V> task;
        private final KafkaStreams streams;

        WhileRunning(ReadOnlyKeyValueStore<K, V> task, KafkaStreams streams) {
            this.task = task;
            this.streams = streams;
        }

        private ReadOnlyKeyValueStore<K, V> task() {
            KafkaStreams.State state = streams.state();
            if (state != KafkaStreams.State.RUNNING) {
                throw new InvalidStateStoreException("the application is " + state + ": its tasks may be moving");
            }
            return task;
        }

        @Override
        public V get(K key) {
            return task().get(key);
        }

        @Override
        public KeyValueIterator<K, V> range(K from, K to) {
            return task().range(from, to);
        }

        @Override
        public KeyValueIterator<K, V> all() {
            return task().all();
        }

        @Override
        public long approximateNumEntries() {
            return task().approximateNumEntries();
        }
    }
}

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

    static StoreSource of(KafkaStreams streams) {
        return new StoreSource() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore()));
            }
        };
    }
}

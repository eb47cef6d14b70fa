package io.schoolstats.stage;

import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * Runs a processor's action just before each commit of its task, inside the transaction that
 * commits: what the action forwards is committed with the input that caused it, or aborted with
 * it. So a stage may hold output in memory between commits (the school stage sums its deltas per
 * unit) and lose nothing: a crash before the commit aborts the input too, and it is read again.
 *
 * <p>Kafka Streams has no public hook for this. It is the one its own record caches use: before a
 * task commits, it flushes every store that has a cache ({@code CachedStateStore}), and the cache
 * of a KTable forwards what it held downstream, in that same transaction. This is a store with
 * nothing in it and no changelog, whose "cache flush" is the action, run as its processor with the
 * context of the last record it noted (so the records it forwards go where the processor's do).
 *
 * <p>What this relies on, which a Kafka Streams upgrade must keep: a task flushes its stores'
 * caches before it flushes its producer and commits (every commit path goes through
 * {@code StreamTask.prepareCommit}); no store of the same task flushes a cache into the stage
 * (the school stage's stores have no cache, and only repartition sinks follow it); and a task
 * whose state is corrupted is closed dirty, its transaction aborted. That last one holds because
 * nothing in the stage can raise Kafka Streams' {@code TaskCorruptedException} (a production
 * error handler that asked to retry could): its recovery commits the other tasks' transaction
 * without flushing the corrupted task, which would commit that task's store writes without the
 * deltas held for them. If the flush stopped running, the tests on {@code TopologyTestDriver}
 * (which commits after every record) would find nothing sent; if it ran after the commit, only a
 * crash at the wrong moment would show it.
 */
final class BeforeCommit implements StateStore, CachedStateStore<Void, Void> {
    private final String name;
    private boolean open;
    private Runnable action;
    private InternalProcessorContext<?, ?> internal;
    private ProcessorNode<?, ?, ?, ?> node;
    private ProcessorRecordContext noted;

    private BeforeCommit(String name) {
        this.name = name;
    }

    /** The store a stage declares among its own ({@code ProcessorSupplier.stores()}). */
    static StoreBuilder<BeforeCommit> store(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<BeforeCommit> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<BeforeCommit> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<BeforeCommit> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException(name + " holds nothing to log");
            }

            @Override
            public StoreBuilder<BeforeCommit> withLoggingDisabled() {
                return this;
            }

            @Override
            public BeforeCommit build() {
                return new BeforeCommit(name);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /**
     * Runs {@code action} before each commit of the processor's task, as that processor; call from
     * its {@code init}. Outside Kafka Streams' own contexts (a {@code MockProcessorContext} in a
     * test), {@link #flushCache()} runs the action as it is.
     */
    static BeforeCommit register(ProcessorContext<?, ?> context, String name, Runnable action) {
        BeforeCommit store = context.getStateStore(name);
        store.action = action;
        store.noted = null;
        if (context instanceof InternalProcessorContext<?, ?> internalContext) {
            store.internal = internalContext;
            store.node = internalContext.currentNode();
        }
        return store;
    }

    /** The record being processed left something for the action: it runs in that record's context. */
    void note() {
        if (internal != null) {
            noted = internal.recordContext();
        }
    }

    @Override
    public void flushCache() {
        if (action == null) {
            return;
        }
        if (internal == null) {
            action.run();
            return;
        }
        ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
        ProcessorRecordContext previousContext = internal.recordContext();
        internal.setCurrentNode(node);
        if (noted != null) {
            // Unnoted, the action has nothing to send (a forward without a record context would fail loudly).
            internal.setRecordContext(noted);
        }
        try {
            action.run();
        } finally {
            noted = null;
            internal.setRecordContext(previousContext);
            internal.setCurrentNode(previousNode);
        }
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Void, Void> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public void clearCache() {
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> { });
        open = true;
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}

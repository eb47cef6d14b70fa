package io.schoolstats.topology;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * One memory budget for every RocksDB store of the process, off the Java heap: a shared block
 * cache that also holds the memtables (through a write buffer manager) and the index and filter
 * blocks. Without it each store of each task takes its own 50 MB block cache and up to three
 * 16 MB memtables (Kafka Streams' defaults): the engine has a dozen persistent stores per task,
 * which at a few tasks per instance could reach gigabytes on a national state. The pattern is the
 * one Kafka Streams' memory management guide gives.
 *
 * <p>Not the default: with the benchmark's state (30 MB) the process's peak resident memory was
 * the same with and without it (922 to 943 MB against 929), and throughput lower (6,855 and
 * 6,859 reports/s against 7,218 to 8,632; README, Performance). An operator whose state outgrows
 * the machine's memory turns it on ({@code kafka.rocksdb.config.setter} in the config file).
 *
 * <p>The budget is {@link #TOTAL_BYTES} ({@code schoolstats.rocksdb.memory.bytes} in the Streams
 * configuration), of which {@link #MEMTABLE_SHARE} for memtables. It is shared by every store of
 * the JVM, whatever its application: the first store configured sets it.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {
    /** The Streams configuration key of the budget. */
    public static final String TOTAL_BYTES_CONFIG = "schoolstats.rocksdb.memory.bytes";
    /** The default budget: 256 MB. */
    public static final long TOTAL_BYTES = 256L << 20;
    /** The memtables' part of it. */
    public static final double MEMTABLE_SHARE = 0.25;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    private static synchronized void create(long total) {
        if (cache == null) {
            // Index and filter blocks in the high-priority part, so that data blocks cannot evict them.
            cache = new LRUCache(total, -1, false, 0.1);
            writeBuffers = new WriteBufferManager((long) (total * MEMTABLE_SHARE), cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object configured = configs.get(TOTAL_BYTES_CONFIG);
        create(configured == null ? TOTAL_BYTES : Long.parseLong(configured.toString()));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBuffers);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store: never closed here.
    }
}

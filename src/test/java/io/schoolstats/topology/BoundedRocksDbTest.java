package io.schoolstats.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbTest {
    @Test
    void everyStoreOfTheProcessSharesOneMemoryBudget() {
        RocksDB.loadLibrary();
        try (Options one = new Options(); Options other = new Options()) {
            one.setTableFormatConfig(new BlockBasedTableConfig());
            other.setTableFormatConfig(new BlockBasedTableConfig());
            BoundedRocksDb setter = new BoundedRocksDb();
            setter.setConfig("school-reports", one, Map.of());
            setter.setConfig("local-stats", other, Map.of(BoundedRocksDb.TOTAL_BYTES_CONFIG, "1048576"));
            // One write buffer manager, charging its memtables to the one shared cache.
            assertThat(one.writeBufferManager()).isNotNull().isSameAs(other.writeBufferManager());
            assertThat(((BlockBasedTableConfig) one.tableFormatConfig()).cacheIndexAndFilterBlocks()).isTrue();
            setter.close("school-reports", one);
            setter.close("local-stats", other);
        }
    }
}

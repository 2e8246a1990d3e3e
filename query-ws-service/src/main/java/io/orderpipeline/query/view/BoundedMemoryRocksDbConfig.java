package io.orderpipeline.query.view;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of all RocksDB stores in this JVM (Kafka's documented pattern): one LRU block cache,
 * which also holds index and filter blocks and is charged for memtables through a {@link WriteBufferManager}. Without
 * it every store of every partition (nine stores, active and standby) would get its own 50 MB cache and memtables.
 * The budget is read from {@value #TOTAL_BYTES_CONFIG} by the first store that opens.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {

    /** Streams config key carrying the budget in bytes. */
    public static final String TOTAL_BYTES_CONFIG = "orders.query.rocksdb.total.bytes";

    private static final long DEFAULT_TOTAL_BYTES = 64L * 1024 * 1024;
    private static final double INDEX_FILTER_BLOCK_RATIO = 0.1;
    private static final long BLOCK_SIZE = 4 * 1024;
    private static final int MEMTABLES = 2;

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;
    private static long totalBytes;

    private static synchronized void initialize(Map<String, Object> configs) {
        if (cache != null) {
            return;
        }
        Object configured = configs.get(TOTAL_BYTES_CONFIG);
        totalBytes = configured == null ? DEFAULT_TOTAL_BYTES : Long.parseLong(configured.toString());
        cache = new LRUCache(totalBytes, -1, false, INDEX_FILTER_BLOCK_RATIO);
        writeBufferManager = new WriteBufferManager(totalBytes / 4, cache);
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        initialize(configs);
        BlockBasedTableConfig tableConfig = (BlockBasedTableConfig) options.tableFormatConfig();
        tableConfig.setBlockCache(cache);
        tableConfig.setCacheIndexAndFilterBlocks(true);
        tableConfig.setCacheIndexAndFilterBlocksWithHighPriority(true);
        tableConfig.setPinTopLevelIndexAndFilter(true);
        tableConfig.setBlockSize(BLOCK_SIZE);
        options.setWriteBufferManager(writeBufferManager);
        options.setMaxWriteBufferNumber(MEMTABLES);
        options.setWriteBufferSize(Math.max(1024 * 1024, totalBytes / 16));
        options.setTableFormatConfig(tableConfig);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write buffer manager are shared by every store; they live as long as the JVM
    }
}

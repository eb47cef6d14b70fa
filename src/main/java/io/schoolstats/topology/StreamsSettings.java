package io.schoolstats.topology;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration schoolstats runs with; callers add or override what they need. */
public final class StreamsSettings {
    private StreamsSettings() {
    }

    public static Properties defaults(String applicationId, String bootstrapServers) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Generated names shift when an operator is added upstream and orphan changelogs: refuse them.
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // Inputs are read as bytes and validated in the topology, so bad input becomes an envelope on
        // reports.rejected there and never throws. What still throws (a full disk, a bug) must not
        // be skipped: a skipped record leaves half-applied state behind for good. The default
        // handlers fail the task; the service replaces the thread, which resumes from the last commit.
        // One exception: an envelope for reports.rejected the broker refuses (RejectedRecordHandler).
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, RejectedRecordHandler.class);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The result does not depend on the order in which a stage's inputs interleave (every stage
        // keeps its invariant whatever arrives first), so never wait for an empty input partition.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        // A report crosses one transaction before its district's aggregate changes (two when it is
        // not in its school's partition: see ReportIntake), and a record is visible downstream only
        // once its transaction commits: the commit interval (100 ms by default under exactly-once)
        // is most of the latency. 50 ms: latency to the store p50 282 -> 205 ms, p99 425 -> 365 ms,
        // throughput unchanged (bench, README Performance). Measured again with the producers'
        // 5 ms linger (bench --warm-up 3, README Performance): 100 ms made 24,629 to 25,624 reports/s
        // against 21,878 to 23,743 with 50, but latency to the store p99 180 to 233 ms against 132 to
        // 140, near the 250 target. Since the school stage sends its deltas once per commit (one
        // record per unit instead of one per report), a longer interval saves more (bench, two
        // alternated runs each): 50 ms 28,318 and 28,411 reports/s, store p99 131 and 136 ms; 75 ms
        // 29,938 and 33,380, p99 159 and 164; 100 ms 33,394 and 33,531, p99 177 and 209, too near.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 75L);
        // A thread waits on each commit's round trips to the broker (the transaction's offsets, then
        // its end): with one thread the work stops meanwhile; with two, one works while the other
        // waits. bench (README, Performance): reports/s 10,548 -> 13,801, latency to the store p99
        // 345 -> 216 ms; three and four threads were no better.
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        // Kafka Streams lets its producers hold records up to 100 ms (linger.ms) to fill batches; a
        // commit then sends an interval's output at once and blocks until all of it is acknowledged
        // (the longest wait of a stream thread in a JFR profile of the benchmark). 5 ms sends records
        // as they come, and a commit waits for the last few only.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        // A commit sends each changelog and repartition partition what its task wrote since the
        // last, hundreds of records for school-reports: batches of 64 KB instead of Kafka's 16 KB
        // make a quarter as many to build, send and append (bench, two runs alternated with 16 KB:
        // the stream threads' CPU a pass 4.5 and 4.4 s against 4.8 and 5.0, the producers' network
        // threads 0.8 and 0.7 s against 1.1 and 1.2, the same peak heap). A batch's buffer comes
        // from the producer's pool (buffer.memory, 32 MB): one per partition being written.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 64 * 1024);
        // An instance that dies without a word (SIGKILL, a lost machine) is noticed when its
        // session times out; only then do the others take its tasks over. Kafka's 45 s default
        // made failover take about 49 s (CrashDrillIT); 10 s, with a heartbeat every 2 s, makes it
        // seconds. A pause longer than that (a stop-the-world collection of a huge heap) costs a
        // rebalance, not a figure.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        return props;
    }
}

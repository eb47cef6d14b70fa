package io.schoolstats.cli;

import io.schoolstats.bench.Bench;
import io.schoolstats.topology.StreamsSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure schoolstats against a baseline, in one run: generate a national dataset (--schools "
            + "schools, --days school days of attendance, completion and exams, ~3%% corrections, 0.5%% invalid) and "
            + "produce it; aggregate it with a plain KafkaConsumer summing in hash maps (the baseline); aggregate it "
            + "with the real topology (exactly-once) until its results equal the baseline's; then measure latency at "
            + "a steady rate. Both are measured after warm-up passes (--warm-up). Prints one table.",
            "Uses an embedded Kafka unless --bootstrap-servers is given (then use an empty cluster: the benchmark "
                + "reads the contract's topics from the beginning)."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "An existing, empty Kafka cluster.")
    String bootstrapServers;

    @Option(names = "--schools", defaultValue = "43000", description = "Schools (default ${DEFAULT-VALUE}).")
    int schools;

    @Option(names = "--days", defaultValue = "5", description = "School days of attendance (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--latency-rate", defaultValue = "500", description = "Reports/s in the latency phase (default ${DEFAULT-VALUE}).")
    double latencyRate;

    @Option(names = "--latency-seconds", defaultValue = "30",
            description = "Length of the latency phase, 0 to skip it (default ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the broker and state live (default: a temporary directory).")
    Path dataDir;

    @Option(names = "--streams", paramLabel = "KEY=VALUE", description = "Kafka Streams settings to try, e.g. --streams num.stream.threads=2.")
    Map<String, String> streams = new TreeMap<>();

    // Three: after one, the JIT's C2 thread still used 9 to 14 s of CPU in the 18 s measured pass of
    // schoolstats (the broker's and the clients' code in the same JVM); after three, 1.4 to 3 s.
    @Option(names = "--warm-up", paramLabel = "N", defaultValue = "3",
            description = "Passes of the baseline and of schoolstats over the whole dataset run before the measured "
                    + "ones, so that both are measured compiled, as a running service is; the first pass's rates are "
                    + "shown too, the peaks of memory cover every pass (default ${DEFAULT-VALUE}; 0 measures the cold "
                    + "pass).")
    int warmUps;

    @Override
    public Integer call() throws Exception {
        if (warmUps < 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--warm-up must be 0 or more");
        }
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("schoolstats-bench");
        Bench.Result r;
        try {
            r = new Bench(new Bench.Options(bootstrapServers, dir, schools, days, partitions, latencyRate,
                    latencySeconds, streams, 2024, warmUps), System.out).run();
        } finally {
            if (dataDir == null) {
                // A temporary directory holds a broker's logs and state stores: hundreds of MB per run.
                Bench.delete(dir);
            }
        }
        System.out.println();
        System.out.printf("%-38s %14s %14s%n", "", "baseline", "schoolstats");
        System.out.printf("%-38s %,14d %,14d%n", "reports read", r.reportsRead(), r.reportsRead());
        System.out.printf("%-38s %14s %14.1f%n", "start-up to RUNNING s", "", r.startupSeconds());
        System.out.printf("%-38s %14.1f %14.1f%n", "seconds (schoolstats: from RUNNING)", r.baselineSeconds(),
                r.schoolstatsSeconds());
        System.out.printf("%-38s %,14.0f %,14.0f%n", "reports/s", r.baselineRate(), r.schoolstatsRate());
        System.out.printf("%-38s %14s %14.2f%n", "schoolstats / baseline", "", r.schoolstatsRate() / r.baselineRate());
        if (warmUps > 0) {
            System.out.printf("%-38s %,14.0f %,14.0f%n", "first (cold) pass reports/s", r.coldBaselineRate(),
                    r.coldSchoolstatsRate());
            System.out.printf("%-38s %14s %14.2f%n", "first pass schoolstats / baseline", "",
                    r.coldSchoolstatsRate() / r.coldBaselineRate());
        }
        System.out.printf("%-38s %14s %14s%n", "results equal", "", r.equal() ? "yes" : "NO");
        System.out.printf("%-38s %14.1f %14.1f%n", "a national school year, minutes (proj.)",
                Bench.Result.NATIONAL_YEAR_REPORTS / r.baselineRate() / 60, Bench.Result.NATIONAL_YEAR_REPORTS / r.schoolstatsRate() / 60);
        System.out.printf("%-38s %14s %14s%n", "latency to store p50/p95/p99/max ms", "",
                latency(r.storeLatencyMillis()));
        System.out.printf("%-38s %14s %14s%n", "latency to /metrics p50/p95/p99/max ms", "",
                latency(r.metricsLatencyMillis()));
        System.out.printf("%-38s %14s %14s%n", "latency probes (store, /metrics)", "",
                String.format("%,d, %,d", r.storeLatencyMillis().size(), r.metricsLatencyMillis().size()));
        System.out.printf("%-38s %14s %,14d%n", "peak heap MB (JVM, broker, all passes)", "", r.peakHeapBytes() / (1 << 20));
        System.out.printf("%-38s %14d %14s%n", "threads (consumer; stream threads)", 1,
                streams.getOrDefault(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(
                        StreamsSettings.defaults("bench", "unused:9092").get(StreamsConfig.NUM_STREAM_THREADS_CONFIG))));
        if (r.peakResidentBytes() > 0) {
            System.out.printf("%-38s %14s %,14d%n", "peak resident MB (process, off-heap incl.)", "",
                    r.peakResidentBytes() / (1 << 20));
        }
        System.out.printf("%-38s %14s %,14d%n", "state directory MB", "", r.stateDirBytes() / (1 << 20));
        System.out.printf("%-38s %14s %,14d%n", "aggregates", "", r.aggregates());
        System.out.printf("%nrecords produced %,d; %d cores; max heap %,d MB; Java %s%n", r.records(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / (1 << 20),
                System.getProperty("java.version"));
        System.out.println("JVM flags: " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (!r.equal()) {
            System.err.println("bench: schoolstats' results differ from the baseline's: " + r.difference());
            return 1;
        }
        return 0;
    }

    private static String latency(java.util.List<Long> values) {
        if (values.isEmpty()) {
            return "-";
        }
        return Bench.percentile(values, 50) + "/" + Bench.percentile(values, 95) + "/" + Bench.percentile(values, 99) + "/"
                + Bench.percentile(values, 100);
    }
}

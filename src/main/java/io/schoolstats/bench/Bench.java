package io.schoolstats.bench;

import io.schoolstats.kafka.EmbeddedKafka;
import io.schoolstats.kafka.TopicSetup;
import io.schoolstats.query.StoreSource;
import io.schoolstats.reference.Scope;
import io.schoolstats.service.StatsService;
import io.schoolstats.stats.Period;
import io.schoolstats.stage.Stage;
import io.schoolstats.stage.StoreKeys.UnitPeriod;
import io.schoolstats.stage.UnitStage;
import io.schoolstats.stats.Aggregate;
import io.schoolstats.stats.Measure;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The benchmark, in one run: generate and produce a national dataset; aggregate it with the
 * baseline; aggregate it with the real topology (exactly-once, as shipped) until its results
 * equal the baseline's; then measure produce-to-store and produce-to-/metrics latency at a
 * steady rate.
 */
public final class Bench {
    /**
     * What to run.
     *
     * @param warmUps passes of the baseline and of schoolstats run, and thrown away, before the
     *                measured ones: the first pass of either pays for compiling its code paths
     *                (the JIT's C2 thread took one of the two cores for the whole of a cold
     *                schoolstats pass), which a running service pays once
     */
    public record Options(String bootstrapServers, Path dataDir, int schools, int days, int partitions,
                          double latencyRate, int latencySeconds, Map<String, String> streamsOverrides, long seed,
                          int warmUps) {
    }

    /**
     * What one run measured: the rates of the measured pass; the peaks of memory over every pass.
     *
     * @param coldBaselineSeconds    the first (cold) pass of the baseline; equal to baselineSeconds without warm-up
     * @param startupSeconds         from starting the service until its streams are RUNNING (not in schoolstatsSeconds)
     * @param coldSchoolstatsSeconds the first (cold) pass of schoolstats, from RUNNING
     * @param schoolstatsSeconds     from RUNNING until every aggregate equals the baseline's
     */
    public record Result(long records, long reportsRead, double coldBaselineSeconds, double baselineSeconds,
                         double startupSeconds, double coldSchoolstatsSeconds, double schoolstatsSeconds,
                         boolean equal, String difference, List<Long> storeLatencyMillis,
                         List<Long> metricsLatencyMillis, long peakHeapBytes, long stateDirBytes, long aggregates,
                         long peakResidentBytes) {
        /** Attendance reports of a national school year: 43,000 schools, about 175 school days. */
        public static final long NATIONAL_YEAR_REPORTS = 7_500_000;

        public double baselineRate() {
            return reportsRead / baselineSeconds;
        }

        public double schoolstatsRate() {
            return reportsRead / schoolstatsSeconds;
        }

        public double coldBaselineRate() {
            return reportsRead / coldBaselineSeconds;
        }

        public double coldSchoolstatsRate() {
            return reportsRead / coldSchoolstatsSeconds;
        }
    }

    private final Options options;
    private final PrintStream out;
    private final AtomicLong peakHeap = new AtomicLong();

    public Bench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public Result run() throws Exception {
        Thread heapWatcher = new Thread(this::watchHeap, "bench-heap");
        heapWatcher.setDaemon(true);
        heapWatcher.start();
        EmbeddedKafka embedded = null;
        String bootstrap = options.bootstrapServers();
        try {
            if (bootstrap == null) {
                int port = freePort();
                out.printf("starting an embedded Kafka on localhost:%d (data in %s)%n", port, options.dataDir().resolve("kafka"));
                embedded = new EmbeddedKafka(options.dataDir().resolve("kafka"), port).start();
                bootstrap = embedded.bootstrapServers();
            }
            return run(bootstrap);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private Result run(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicSetup.ensure(admin, options.partitions(), Optional.empty());
        }
        BenchData data = new BenchData(options.schools(), options.days(), options.seed());
        long records = produce(bootstrap, data);

        Map<String, long[]> expected = null;
        long reportsRead = 0;
        double coldBaselineSeconds = 0;
        double baselineSeconds = 0;
        for (int pass = 0; pass <= options.warmUps(); pass++) {
            out.printf("baseline%s: a plain consumer summing in hash maps ...%n", passName(pass));
            long t0 = System.nanoTime();
            Baseline baseline = new Baseline();
            expected = baseline.run(bootstrap);
            baselineSeconds = (System.nanoTime() - t0) / 1e9;
            coldBaselineSeconds = pass == 0 ? baselineSeconds : coldBaselineSeconds;
            reportsRead = baseline.reportsRead();
            // Its winning reports fill a large part of the heap: they must not burden what is measured next.
            baseline = null;
            out.printf("baseline%s: %,d reports in %.1f s (%,.0f reports/s), %,d aggregates%n", passName(pass),
                    reportsRead, baselineSeconds, reportsRead / baselineSeconds, expected.size());
        }

        double coldSchoolstatsSeconds = 0;
        for (int pass = 0; pass < options.warmUps(); pass++) {
            Pass warmUp = schoolstats(bootstrap, data, expected, reportsRead, pass, false);
            coldSchoolstatsSeconds = pass == 0 ? warmUp.seconds() : coldSchoolstatsSeconds;
            if (warmUp.difference() != null) {
                return new Result(records, reportsRead, coldBaselineSeconds, baselineSeconds, warmUp.startup(),
                        warmUp.seconds(), warmUp.seconds(), false, warmUp.difference(), List.of(), List.of(),
                        peakHeap.get(), 0, expected.size(), peakResident());
            }
        }
        Pass measured = schoolstats(bootstrap, data, expected, reportsRead, options.warmUps(), true);
        coldSchoolstatsSeconds = options.warmUps() == 0 ? measured.seconds() : coldSchoolstatsSeconds;
        return new Result(records, reportsRead, coldBaselineSeconds, baselineSeconds, measured.startup(),
                coldSchoolstatsSeconds, measured.seconds(), measured.difference() == null, measured.difference(),
                measured.storeLatency(), measured.metricsLatency(), peakHeap.get(), measured.stateDirBytes(),
                expected.size(), peakResident());
    }

    private String passName(int pass) {
        return pass < options.warmUps() ? " (warm-up " + (pass + 1) + " of " + options.warmUps() + ")" : "";
    }

    /** One pass of schoolstats over the whole dataset. */
    private record Pass(double startup, double seconds, String difference, List<Long> storeLatency,
                        List<Long> metricsLatency, long stateDirBytes) {
    }

    /**
     * Runs the real service, under an application id of its own and in a state directory of its
     * own, from the start of the topics until its aggregates equal the baseline's; a measured
     * pass then measures latency, and its state directory is kept to be measured.
     */
    private Pass schoolstats(String bootstrap, BenchData data, Map<String, long[]> expected, long reportsRead, int pass,
                             boolean measured) throws Exception {
        out.printf("schoolstats%s: the real topology, exactly-once, from the start until every aggregate is final ...%n",
                passName(pass));
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path stateDir = options.dataDir().resolve("state-" + id);
        Map<String, String> overrides = new HashMap<>(options.streamsOverrides());
        int httpPort = freePort();
        long t0 = System.nanoTime();
        StatsService service = new StatsService(new StatsService.Settings(bootstrap, httpPort, stateDir,
                "bench-" + id, overrides, options.partitions(), Optional.empty()))
                .start();
        Pass result;
        try {
            // Start-up (topics, group, tasks, empty stores) is reported apart: the rate is that of RUNNING streams.
            while (service.streams().state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING
                    && System.nanoTime() - t0 < Duration.ofMinutes(2).toNanos()) {
                Thread.sleep(20);
            }
            double startup = (System.nanoTime() - t0) / 1e9;
            out.printf("schoolstats%s: RUNNING after %.1f s%n", passName(pass), startup);
            t0 = System.nanoTime();
            StoreSource stores = StoreSource.of(service.streams(), options.partitions());
            String difference = awaitEqual(stores, expected, Duration.ofMinutes(30));
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf("schoolstats%s: %s after %.1f s of RUNNING (%,.0f reports/s)%n", passName(pass),
                    difference == null ? "equal to the baseline" : "DIFFERENT from the baseline: " + difference, seconds,
                    reportsRead / seconds);
            List<Long> storeLatency = new ArrayList<>();
            List<Long> metricsLatency = new ArrayList<>();
            if (measured && difference == null && options.latencySeconds() > 0) {
                latency(bootstrap, data, stores, httpPort, storeLatency, metricsLatency);
            }
            result = new Pass(startup, seconds, difference, storeLatency, metricsLatency, 0);
        } finally {
            service.close();
        }
        if (!measured) {
            deleteTopics(bootstrap, "bench-" + id + "-");
            delete(stateDir);
            return result;
        }
        // Measured once closed: RocksDB has then flushed its memtables to files.
        return new Pass(result.startup(), result.seconds(), result.difference(), result.storeLatency(),
                result.metricsLatency(), size(stateDir));
    }

    private long produce(String bootstrap, BenchData data) {
        long total = BenchData.count(BenchData::reference, data) + BenchData.count(BenchData::reports, data);
        out.printf("generating and producing %,d records: %,d schools, %d school days, corrections, invalid reports%n",
                total, options.schools(), options.days());
        AtomicLong sent = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        long t0 = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            BenchData.TopicSink sink = (topic, key, value) -> {
                producer.send(new ProducerRecord<>(topic, key, value), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                long n = sent.incrementAndGet();
                if (n % 50_000 == 0 || n == total) {
                    progress(n, total);
                }
            };
            data.reference(sink);
            producer.flush();
            data.reports(sink);
            producer.flush();
        }
        if (failure.get() != null) {
            // Without the whole dataset the comparison would wait for aggregates that never come.
            throw new IllegalStateException("could not produce the dataset: " + failure.get().getMessage(), failure.get());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf("%nproduced %,d records in %.1f s (%,.0f records/s)%n", sent.get(), seconds, sent.get() / seconds);
        return sent.get();
    }

    private void progress(long done, long total) {
        int width = 30;
        int filled = (int) (width * done / total);
        out.printf("\r[%s%s] %3d%% %,d/%,d", "#".repeat(filled), ".".repeat(width - filled), 100 * done / total, done, total);
        out.flush();
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Polls the stores until they hold exactly the baseline's aggregates; returns null, or the first difference. */
    private String awaitEqual(StoreSource stores, Map<String, long[]> expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String difference = "no result yet";
        while (System.nanoTime() < deadline) {
            // Often enough to time the end of a ten-second pass to a tenth of a second (a poll every
            // half second added a quarter of a second on average); a poll reads the few province
            // aggregates until they match, and every store once.
            Thread.sleep(100);
            try {
                difference = compare(snapshot(stores, Scope.PROVINCE), expected, "province|");
                if (difference == null) {
                    difference = compare(snapshotAll(stores), expected, "");
                    if (difference == null) {
                        return null;
                    }
                }
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
                difference = "stores not queryable yet";
            }
        }
        return difference;
    }

    private static Map<String, long[]> snapshotAll(StoreSource stores) {
        Map<String, long[]> all = new TreeMap<>();
        for (Scope scope : List.of(Scope.DISTRICT, Scope.PROVINCE, Scope.CLUSTER)) {
            all.putAll(snapshot(stores, scope));
        }
        return all;
    }

    /** The aggregates of a scope's stage (the benchmark's units are all districts), keyed like the baseline's. */
    static Map<String, long[]> snapshot(StoreSource stores, Scope scope) {
        Map<String, long[]> out = new TreeMap<>();
        ReadOnlyKeyValueStore<UnitPeriod, long[]> store = stores.store(UnitStage.statsStore(Stage.of(scope)));
        try (KeyValueIterator<UnitPeriod, long[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<UnitPeriod, long[]> e = it.next();
                out.put(scope.label() + "|" + e.key.code() + "|" + e.key.period().encode(), e.value);
            }
        }
        return out;
    }

    /** The first difference between actual and the expected entries under a prefix, or null. */
    private static String compare(Map<String, long[]> actual, Map<String, long[]> expected, String prefix) {
        int seen = 0;
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            seen++;
            long[] a = actual.get(e.getKey());
            if (!java.util.Arrays.equals(a, e.getValue())) {
                return e.getKey() + ": expected " + java.util.Arrays.toString(e.getValue()) + ", got "
                        + java.util.Arrays.toString(a);
            }
        }
        return seen == actual.size() ? null : "schoolstats has " + actual.size() + " aggregates" + (prefix.isEmpty() ? ""
                : " under " + prefix) + ", the baseline " + seen;
    }

    /** Steady load; every 10th report a probe timed until the store, and every 50th until /metrics, shows it. */
    private void latency(String bootstrap, BenchData data, StoreSource stores, int httpPort, List<Long> storeLatency,
                         List<Long> metricsLatency) throws InterruptedException {
        out.printf("latency: %.0f reports/s for %d s ...%n", options.latencyRate(), options.latencySeconds());
        LocalDate day = data.days().get(data.days().size() - 1).plusDays(1);
        record Probe(long sentNanos, String district, LocalDate day, long expected) {
        }
        ConcurrentLinkedQueue<Probe> storeProbes = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Probe> metricsProbes = new ConcurrentLinkedQueue<>();
        Map<String, Long> counts = new HashMap<>();
        List<Long> storeResults = Collections.synchronizedList(storeLatency);
        List<Long> metricsResults = Collections.synchronizedList(metricsLatency);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread storeWatcher = new Thread(() -> {
            while (!done.get() || !storeProbes.isEmpty()) {
                Probe p = storeProbes.peek();
                if (p == null) {
                    sleep(1);
                    continue;
                }
                long[] v = stores.<UnitPeriod, long[]>store(UnitStage.statsStore(Stage.LOCAL))
                        .get(new UnitPeriod(p.district(), Period.attendanceDay(p.day())));
                if (v != null && new Aggregate(Period.attendanceDay(p.day()), v).get(Measure.REPORTING_SCHOOLS) >= p.expected()) {
                    storeResults.add((System.nanoTime() - p.sentNanos()) / 1_000_000);
                    storeProbes.poll();
                } else {
                    sleep(2);
                }
            }
        }, "bench-store-probe");
        HttpClient http = HttpClient.newHttpClient();
        Thread metricsWatcher = new Thread(() -> {
            while (!done.get() || !metricsProbes.isEmpty()) {
                Probe p = metricsProbes.peek();
                if (p == null) {
                    sleep(5);
                    continue;
                }
                String text = get(http, "http://localhost:" + httpPort + "/metrics");
                long now = System.nanoTime();
                Map<String, Double> reporting = reportingSchools(text);
                while ((p = metricsProbes.peek()) != null) {
                    Double value = reporting.get(p.district());
                    if (value != null && value >= p.expected()) {
                        metricsResults.add((now - p.sentNanos()) / 1_000_000);
                        metricsProbes.poll();
                    } else {
                        break;
                    }
                }
                sleep(100);
            }
        }, "bench-metrics-probe");
        storeWatcher.start();
        metricsWatcher.start();
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            long interval = (long) (1e9 / options.latencyRate());
            long start = System.nanoTime();
            long n = 0;
            List<BenchData.School> schools = data.schools();
            while (System.nanoTime() - start < options.latencySeconds() * 1_000_000_000L) {
                long due = start + n * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                BenchData.School s = schools.get((int) (n % schools.size()));
                if (n > 0 && n % schools.size() == 0) {
                    day = day.plusDays(1);
                }
                long expected = counts.merge(s.district() + "|" + day, 1L, Long::sum);
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>("reports.attendance", s.id(),
                        BenchData.attendance(s.id(), day, s.enrolled(), s.enrolled() - 1, 1)));
                producer.flush();
                if (n % 10 == 0) {
                    storeProbes.add(new Probe(sent, s.district(), day, expected));
                }
                if (n % 50 == 0) {
                    metricsProbes.add(new Probe(sent, s.district(), day, expected));
                }
                n++;
            }
        }
        done.set(true);
        storeWatcher.join(30_000);
        metricsWatcher.join(30_000);
    }

    private static Map<String, Double> reportingSchools(String metrics) {
        Map<String, Double> out = new HashMap<>();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("schoolstats_attendance_reporting_schools{") && line.contains("scope=\"district\"")) {
                int c = line.indexOf("code=\"") + 6;
                out.put(line.substring(c, line.indexOf('"', c)), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return out;
    }

    private static String get(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * The process's peak resident memory (Linux's VmHWM): the heap, and what is off it (RocksDB's
     * caches and memtables, the broker's buffers, thread stacks); -1 where /proc is not there.
     */
    private static long peakResident() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }

    private void watchHeap() {
        var memory = ManagementFactory.getMemoryMXBean();
        while (true) {
            peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long size(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes a directory and everything under it, as far as it can: a run's figures matter more
     * than its leftovers, so a failure is only reported.
     */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("bench: could not delete " + dir + ": " + e);
        }
    }

    /** Deletes a warm-up pass's internal topics (on a cluster of the user's, they would stay for good). */
    private void deleteTopics(String bootstrap, String prefix) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<String> topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith(prefix)).toList();
            admin.deleteTopics(topics).all().get();
        } catch (Exception e) {
            out.println("bench: could not delete the warm-up's topics " + prefix + "*: " + e);
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The p-th percentile (0-100) of a list of millisecond latencies. */
    public static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}

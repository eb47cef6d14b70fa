package io.schoolstats.service;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.schoolstats.auth.RevokedTokens;
import io.schoolstats.auth.TokenKeys;
import io.schoolstats.auth.Tokens;
import io.schoolstats.http.ApiServer;
import io.schoolstats.http.IngestRoutes;
import io.schoolstats.http.SchoolDetailRoutes;
import io.schoolstats.auth.PeerGrant;
import io.schoolstats.auth.ReadAccess;
import io.schoolstats.http.PeerDays;
import io.schoolstats.http.Placement;
import io.schoolstats.ingest.KafkaWriter;
import io.schoolstats.kafka.TopicSetup;
import io.schoolstats.metrics.RenderedMetrics;
import io.schoolstats.metrics.ReportCounters;
import io.schoolstats.metrics.StatsMetrics;
import io.schoolstats.query.StatsQuery;
import io.schoolstats.query.StoreSource;
import io.schoolstats.topology.StatsTopology;
import io.schoolstats.topology.StreamsSettings;
import io.schoolstats.report.Received;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import io.schoolstats.stats.Deadlines;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: the stream processor against a Kafka cluster, the metrics exporter and
 * the HTTP API. {@code serve} and {@code demo} both run one.
 */
public final class StatsService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatsService.class);

    /** How to run: see {@code serve --help} for each. */
    public record Settings(String bootstrapServers, int httpPort, Path stateDir, String applicationId,
                           Map<String, String> kafka, int partitions, Optional<Short> replicationFactor,
                           Ingestion ingestion, String bindAddress, ZoneId zone, Instances instances,
                           Deadlines deadlines) {
        /** Where the HTTP API listens unless told: every interface (a container's port mapping needs it). */
        public static final String ALL_INTERFACES = "0.0.0.0";

        public Settings {
            kafka = Map.copyOf(kafka);
            bindAddress = bindAddress == null || bindAddress.isBlank() ? ALL_INTERFACES : bindAddress;
            zone = zone == null ? Received.DEFAULT_ZONE : zone;
            instances = instances == null ? Instances.defaults() : instances;
            deadlines = deadlines == null ? Deadlines.defaults(zone) : deadlines;
            if (!deadlines.zone().equals(zone)) {
                throw new IllegalArgumentException("the deadlines are in " + deadlines.zone() + ", the service in " + zone);
            }
        }

        /** Settings of an API on every interface, in the default time zone ({@link Received#DEFAULT_ZONE}). */
        public Settings(String bootstrapServers, int httpPort, Path stateDir, String applicationId,
                        Map<String, String> kafka, int partitions, Optional<Short> replicationFactor,
                        Ingestion ingestion) {
            this(bootstrapServers, httpPort, stateDir, applicationId, kafka, partitions, replicationFactor, ingestion,
                    ALL_INTERFACES, Received.DEFAULT_ZONE, Instances.defaults(), null);
        }

        /** Settings of a service that does not take reports over HTTP (no token secret). */
        public Settings(String bootstrapServers, int httpPort, Path stateDir, String applicationId,
                        Map<String, String> kafka, int partitions, Optional<Short> replicationFactor) {
            this(bootstrapServers, httpPort, stateDir, applicationId, kafka, partitions, replicationFactor,
                    Ingestion.disabled());
        }
    }

    /**
     * How this instance works with the others of the same application id.
     *
     * @param advertisedUrl   where the other instances reach this one's API ({@code http://host:port}); null:
     *                        this host's name and the HTTP port
     * @param standbyReplicas warm copies of each task's state on other instances, taking over in
     *                        seconds when an instance dies ({@code num.standby.replicas})
     */
    public record Instances(String advertisedUrl, int standbyReplicas) {
        public static final int DEFAULT_STANDBY_REPLICAS = 1;

        public Instances {
            if (standbyReplicas < 0) {
                throw new IllegalArgumentException("--standby-replicas must be 0 or more, not " + standbyReplicas);
            }
        }

        public static Instances defaults() {
            return new Instances(null, DEFAULT_STANDBY_REPLICAS);
        }

        /** The advertised URL as host and port (Kafka Streams' application.server). */
        HostInfo hostInfo(int httpPort) {
            if (advertisedUrl == null) {
                String host;
                try {
                    host = java.net.InetAddress.getLocalHost().getCanonicalHostName();
                } catch (java.net.UnknownHostException e) {
                    host = "localhost";
                }
                return new HostInfo(host, httpPort);
            }
            java.net.URI uri = java.net.URI.create(advertisedUrl);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0
                    || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
                throw new IllegalArgumentException("--advertised-url must look like http://host:port, not '"
                        + advertisedUrl + "'");
            }
            return new HostInfo(uri.getHost(), uri.getPort());
        }
    }

    /**
     * HTTP ingestion: the keys tokens are checked with (null turns it off, saying why), the largest
     * body accepted, how long to wait for Kafka before answering 503, and the most items in one request.
     */
    public record Ingestion(TokenKeys tokenKeys, long maxBodyBytes, Duration kafkaTimeout, int maxItems) {
        public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
        public static final int DEFAULT_MAX_ITEMS = 10_000;

        public Ingestion {
            if (maxItems < 1) {
                throw new IllegalArgumentException("--max-items must be at least 1, not " + maxItems);
            }
        }

        /** With the default limit on items ({@value #DEFAULT_MAX_ITEMS}). */
        public Ingestion(TokenKeys tokenKeys, long maxBodyBytes, Duration kafkaTimeout) {
            this(tokenKeys, maxBodyBytes, kafkaTimeout, DEFAULT_MAX_ITEMS);
        }

        public static Ingestion disabled() {
            return new Ingestion((TokenKeys) null, DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(10));
        }
    }

    private final Settings settings;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schoolstats-metrics");
        t.setDaemon(true);
        return t;
    });
    /** Today's series on a thread of their own: never queued behind a full refresh (StatsMetrics). */
    private final ScheduledExecutorService todayRefresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schoolstats-metrics-today");
        t.setDaemon(true);
        return t;
    });
    private KafkaStreams streams;
    private volatile StatsMetrics statsMetrics;
    /** Asks the other instances for their latest school day, so that all show the same current day. */
    private final ScheduledExecutorService peers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schoolstats-peers");
        t.setDaemon(true);
        return t;
    });
    private KafkaStreamsMetrics streamsMetrics;
    private ApiServer api;
    private StatsQuery query;
    private KafkaWriter writer;
    private RevokedTokens revokedTokens;

    public StatsService(Settings settings) {
        this.settings = settings;
    }

    /** Starts everything; on failure stops what had started and rethrows. */
    public StatsService start() {
        try {
            return startAll();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private StatsService startAll() {
        Properties props = streamsProperties();
        try (Admin admin = Admin.create(adminProperties())) {
            TopicSetup.ensure(admin, settings.partitions(), settings.replicationFactor());
        }
        ReportCounters counters = new ReportCounters(registry);
        streams = new KafkaStreams(StatsTopology.build(props, new StatsTopology.Options(settings.partitions(), counters,
                StatsTopology.Options.FLUSH_INTERVAL, settings.zone(), settings.deadlines())),
                props);
        streams.setUncaughtExceptionHandler(e -> {
            // Bad input never gets here (it is rejected as data); this is a bug or an outage:
            // replace the thread, which resumes from the last commit, rather than stop serving.
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        // Tasks move when the state changes: refresh the series at once, so that a unit this
        // instance lost leaves its /metrics now, not at the next scheduled refresh.
        streams.setStateListener((now, before) -> {
            LOG.info("streams {} -> {}", before, now);
            if (statsMetrics != null) {
                try {
                    refresher.execute(() -> refresh(statsMetrics::refresh));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.debug("closing: no metrics refresh");
                }
            }
        });
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        query = new StatsQuery(StoreSource.of(streams, settings.partitions()), Clock.system(settings.zone()));
        StatsMetrics metrics = new StatsMetrics(query);
        statsMetrics = metrics;
        RenderedMetrics page = new RenderedMetrics(registry, metrics);
        Placement placement = new Placement(streams, self());
        api = new ApiServer(query, page, () -> streams.state(), placement);
        Ingestion ingestion = settings.ingestion();
        writer = new KafkaWriter(settings.bootstrapServers(), settings.kafka(), ingestion.kafkaTimeout());
        Tokens tokens = null;
        if (ingestion.tokenKeys() == null) {
            LOG.warn("no token secret configured (SCHOOLSTATS_TOKEN_SECRET or SCHOOLSTATS_TOKEN_KEYS, or token.secret "
                    + "or token.keys in --config): reports over HTTP are refused; Kafka producers are not affected");
        } else {
            revokedTokens = RevokedTokens.start(settings.bootstrapServers(), settings.kafka(), Duration.ofSeconds(60),
                    Clock.systemUTC());
            tokens = new Tokens(ingestion.tokenKeys(), revokedTokens, Clock.systemUTC());
            LOG.info("tokens checked with keys {}", ingestion.tokenKeys().ids());
        }
        new IngestRoutes(tokens, writer, ingestion.maxBodyBytes(), ingestion.maxItems(), settings.zone(),
                query::examDefined, api::scoring).register(api.javalin());
        new SchoolDetailRoutes(query, placement, tokens == null ? null : new ReadAccess(tokens),
                tokens == null ? null : new PeerGrant(ingestion.tokenKeys(), Clock.systemUTC()), settings.deadlines())
                .register(api.javalin());
        api.start(settings.bindAddress(), settings.httpPort());
        streams.start();
        refresher.scheduleWithFixedDelay(() -> refresh(metrics::refresh), 0, StatsMetrics.FULL_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        todayRefresher.scheduleWithFixedDelay(() -> refresh(metrics::refreshToday), StatsMetrics.TODAY_INTERVAL.toMillis(),
                StatsMetrics.TODAY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        PeerDays peerDays = new PeerDays(placement);
        peers.scheduleWithFixedDelay(() -> query.othersLatestDay(peerDays.latest()), 1, 1, TimeUnit.SECONDS);
        return this;
    }

    private static void refresh(Runnable refresh) {
        try {
            refresh.run();
        } catch (RuntimeException e) {
            LOG.warn("metrics refresh failed: {}", e.toString());
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    public StatsQuery query() {
        return query;
    }

    public ApiServer api() {
        return api;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    Properties streamsProperties() {
        Properties props = StreamsSettings.defaults(settings.applicationId(), settings.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
        props.putAll(settings.kafka());
        // The chosen brokers win over a kafka.bootstrap.servers of the config file, for every client.
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        HostInfo self = self();
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.instances().standbyReplicas());
        return props;
    }

    /** Where the other instances reach this one: the advertised URL, else this host and the HTTP port. */
    HostInfo self() {
        return settings.instances().hostInfo(settings.httpPort());
    }

    private Properties adminProperties() {
        Properties props = new Properties();
        settings.kafka().forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return props;
    }

    /** Stops the API, then the streams (committing their work), within about 30 s. */
    @Override
    public void close() {
        peers.shutdownNow();
        refresher.shutdownNow();
        todayRefresher.shutdownNow();
        if (api != null) {
            api.close();
        }
        if (writer != null) {
            writer.close();
        }
        if (revokedTokens != null) {
            revokedTokens.close();
        }
        if (streams != null) {
            // Leaving the group lets the next start (or the other instances) take the partitions
            // over at once instead of after the session timeout.
            streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        registry.close();
    }
}

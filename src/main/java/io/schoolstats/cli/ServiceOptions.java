package io.schoolstats.cli;

import io.schoolstats.auth.TokenKeys;
import io.schoolstats.stats.Deadlines;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** Options shared by {@code serve}: each has an environment variable of the same name. */
final class ServiceOptions {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            defaultValue = "${env:SCHOOLSTATS_BOOTSTRAP_SERVERS}",
            description = "Kafka brokers (env SCHOOLSTATS_BOOTSTRAP_SERVERS, or kafka.bootstrap.servers in --config).")
    String bootstrapServers;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "${env:SCHOOLSTATS_HTTP_PORT:-8080}",
            description = "Port of the HTTP API and /metrics (env SCHOOLSTATS_HTTP_PORT, default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--bind-address", paramLabel = "ADDRESS", defaultValue = "${env:SCHOOLSTATS_BIND_ADDRESS:-0.0.0.0}",
            description = "Address the HTTP API and /metrics listen on: 0.0.0.0 for every interface, 127.0.0.1 for "
                    + "this machine only (env SCHOOLSTATS_BIND_ADDRESS, default ${DEFAULT-VALUE}).")
    String bindAddress;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:SCHOOLSTATS_STATE_DIR:-schoolstats-state}",
            description = "Where the local state stores live (env SCHOOLSTATS_STATE_DIR, default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = "${env:SCHOOLSTATS_APPLICATION_ID:-schoolstats}",
            description = "Kafka Streams application id: the consumer group and the prefix of internal topics "
                    + "(env SCHOOLSTATS_APPLICATION_ID, default ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:SCHOOLSTATS_CONFIG}",
            description = "A properties file; every kafka.* property passes through to the Kafka clients "
                    + "(kafka.security.protocol=SSL, ...) (env SCHOOLSTATS_CONFIG).")
    Path config;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "${env:SCHOOLSTATS_PARTITIONS:-4}",
            description = "Partitions of the topics created when missing and of the internal repartition topics; "
                    + "fixed for the life of an application id (env SCHOOLSTATS_PARTITIONS, default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "${env:SCHOOLSTATS_REPLICATION_FACTOR}",
            description = "Replicas of the topics created when missing (env SCHOOLSTATS_REPLICATION_FACTOR; "
                    + "default: the broker's default).")
    Short replicationFactor;

    @Option(names = "--max-body-bytes", paramLabel = "N",
            defaultValue = "${env:SCHOOLSTATS_MAX_BODY_BYTES:-10485760}",
            description = "Largest body POST/PUT accepts; larger gets 413 (env SCHOOLSTATS_MAX_BODY_BYTES, "
                    + "default ${DEFAULT-VALUE}: 10 MB).")
    long maxBodyBytes;

    @Option(names = "--max-items", paramLabel = "N", defaultValue = "${env:SCHOOLSTATS_MAX_ITEMS:-10000}",
            description = "Most reports (or reference rows) in one POST/PUT; reading stops at the next one and the "
                    + "request gets 413 (env SCHOOLSTATS_MAX_ITEMS, default ${DEFAULT-VALUE}).")
    int maxItems;

    @Option(names = "--ingest-timeout", paramLabel = "SECONDS", defaultValue = "${env:SCHOOLSTATS_INGEST_TIMEOUT:-10}",
            description = "How long a POST waits for Kafka before answering 503 (env SCHOOLSTATS_INGEST_TIMEOUT, "
                    + "default ${DEFAULT-VALUE}).")
    int ingestTimeoutSeconds;

    @Option(names = "--time-zone", paramLabel = "ZONE", defaultValue = "${env:SCHOOLSTATS_TIME_ZONE:-Asia/Ho_Chi_Minh}",
            description = "Where \"today\" is: a report dated later than the day after it was submitted is rejected, "
                    + "and the current school day is never after today there (env SCHOOLSTATS_TIME_ZONE, "
                    + "default ${DEFAULT-VALUE}).")
    java.time.ZoneId timeZone;

    @Option(names = "--attendance-deadline", paramLabel = "HH:MM",
            defaultValue = "${env:SCHOOLSTATS_ATTENDANCE_DEADLINE:-09:00}",
            description = "A school day's attendance is on time when submitted by this time of that day in --time-zone; "
                    + "the deadlines are fixed for the life of an application id, the same on every instance "
                    + "(env SCHOOLSTATS_ATTENDANCE_DEADLINE, default ${DEFAULT-VALUE}).")
    java.time.LocalTime attendanceDeadline;

    @Option(names = "--completion-deadline", paramLabel = "MM-DD[,YEAR=DATE...]",
            defaultValue = "${env:SCHOOLSTATS_COMPLETION_DEADLINE:-" + Deadlines.DEFAULT_COMPLETION + "}",
            description = "Completion of a school year is on time when submitted by the end of this day of the year's "
                    + "second calendar year (06-15: 15 June 2026 for 2025-2026), or of the date given for its year: "
                    + "06-15,2025-2026=2026-06-20 (env SCHOOLSTATS_COMPLETION_DEADLINE, default ${DEFAULT-VALUE}).")
    String completionDeadline;

    @Option(names = "--exam-deadline", paramLabel = "MM-DD[,YEAR=DATE...]",
            defaultValue = "${env:SCHOOLSTATS_EXAM_DEADLINE:-" + Deadlines.DEFAULT_EXAM + "}",
            description = "Exam results of a school year are on time when submitted by the end of this day, as "
                    + "--completion-deadline (env SCHOOLSTATS_EXAM_DEADLINE, default ${DEFAULT-VALUE}).")
    String examDeadline;

    /** The deadlines of --attendance-deadline, --completion-deadline and --exam-deadline, in --time-zone. */
    Deadlines deadlines() {
        return new Deadlines(timeZone, attendanceDeadline, yearDates("--completion-deadline", completionDeadline),
                yearDates("--exam-deadline", examDeadline));
    }

    private static Deadlines.YearDates yearDates(String option, String text) {
        try {
            return Deadlines.YearDates.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    @Option(names = "--advertised-url", paramLabel = "URL", defaultValue = "${env:SCHOOLSTATS_ADVERTISED_URL}",
            description = "Where the other instances of the same --application-id reach this one's API, "
                    + "http://host:port: a GET for a unit another instance owns is forwarded there (env "
                    + "SCHOOLSTATS_ADVERTISED_URL; default: http://<this host's name>:<--http-port>).")
    String advertisedUrl;

    @Option(names = "--standby-replicas", paramLabel = "N", defaultValue = "${env:SCHOOLSTATS_STANDBY_REPLICAS:-1}",
            description = "Warm copies of each task's state kept on other instances, so that one takes over a dead "
                    + "instance's units in seconds (num.standby.replicas; no effect with a single instance; env "
                    + "SCHOOLSTATS_STANDBY_REPLICAS, default ${DEFAULT-VALUE}).")
    int standbyReplicas;

    /** The kafka.* properties of --config, without the prefix. */
    Map<String, String> kafkaProperties() {
        return kafkaProperties(config);
    }

    static Map<String, String> kafkaProperties(Path config) {
        Map<String, String> kafka = new TreeMap<>();
        Properties file = configFile(config);
        for (String name : file.stringPropertyNames()) {
            if (name.startsWith("kafka.")) {
                kafka.put(name.substring("kafka.".length()), file.getProperty(name).trim());
            }
        }
        return kafka;
    }

    /** The token keys ({@link #tokenKeys(Path)}); null when none are configured. */
    TokenKeys tokenKeys() {
        return tokenKeys(config);
    }

    /**
     * The keys tokens are signed and checked with: SCHOOLSTATS_TOKEN_KEYS (else token.keys of
     * --config), {@code KEY_ID:SECRET,...} with the first key signing; or one secret,
     * SCHOOLSTATS_TOKEN_SECRET (else token.secret), the key {@code default}. Null when none is set;
     * both set is a mistake, refused.
     */
    static TokenKeys tokenKeys(Path config) {
        Properties file = configFile(config);
        Setting keys = setting("SCHOOLSTATS_TOKEN_KEYS", file, "token.keys", config);
        Setting secret = setting("SCHOOLSTATS_TOKEN_SECRET", file, "token.secret", config);
        if (keys != null && secret != null) {
            throw new IllegalArgumentException("both " + keys.source() + " and " + secret.source()
                    + " are set: use one (the secret is the key '" + TokenKeys.DEFAULT_KEY_ID + "'; to keep it while adding keys, list it in the keys "
                    + "as " + TokenKeys.DEFAULT_KEY_ID + ":<secret>)");
        }
        if (keys != null) {
            return TokenKeys.parse(keys.value(), keys.source());
        }
        return secret == null ? null : TokenKeys.single(secret.value(), secret.source());
    }

    /** A value and where it came from (for messages, which never show the value). */
    private record Setting(String value, String source) {
    }

    /** An environment variable, else a property of --config; null when neither is set. */
    private static Setting setting(String env, Properties file, String property, Path config) {
        String fromEnv = System.getenv(env);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Setting(fromEnv.trim(), env);
        }
        String fromFile = file.getProperty(property);
        return fromFile == null || fromFile.isBlank() ? null : new Setting(fromFile.trim(), property + " in " + config);
    }

    static Properties configFile(Path config) {
        Properties file = new Properties();
        if (config == null) {
            return file;
        }
        try (Reader in = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            file.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --config " + config + ": " + e.getMessage());
        }
        return file;
    }

    /** --bootstrap-servers, else the environment, else kafka.bootstrap.servers of --config. */
    String requireBootstrapServers(Map<String, String> kafka) {
        return requireBootstrapServers(bootstrapServers, kafka);
    }

    static String requireBootstrapServers(String bootstrapServers, Map<String, String> kafka) {
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            return bootstrapServers;
        }
        String fromFile = kafka.get("bootstrap.servers");
        if (fromFile != null && !fromFile.isBlank()) {
            return fromFile;
        }
        throw new IllegalArgumentException("no Kafka to connect to: give --bootstrap-servers HOST:PORT "
                + "(or SCHOOLSTATS_BOOTSTRAP_SERVERS, or kafka.bootstrap.servers in --config)");
    }
}

package io.schoolstats.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.schoolstats.kafka.EmbeddedKafka;
import io.schoolstats.metrics.RenderedMetrics;
import io.schoolstats.query.ClusterScoring;
import io.schoolstats.query.League;
import io.schoolstats.query.Ranking;
import io.schoolstats.query.StatsQuery;
import io.schoolstats.query.Unit;
import io.schoolstats.query.UnitRows;
import io.schoolstats.stage.Stage;
import io.schoolstats.query.UnitView;
import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.Json;
import io.schoolstats.report.Quote;
import io.schoolstats.report.ReportType;
import io.schoolstats.report.SchoolYear;
import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.stage.ClusterStage;
import io.schoolstats.stage.UnitStage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.io.InputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API: statistics, rankings, schemas, metrics and health, all as the README describes. */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** Most threads serving requests (Jetty's acceptor and selectors included). */
    public static final int MAX_THREADS = 32;
    /** Most requests waiting for a thread; more are refused at once rather than queued without end. */
    public static final int MAX_QUEUED = 256;
    /** An answer read slower than this (bytes per second) is cut (Jetty's own check; bodies: IngestRoutes). */
    public static final long MIN_RESPONSE_DATA_RATE = 1_000;
    /** A connection silent for this long is closed. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** Marks a request one instance forwarded to another: it is answered there, never forwarded again. */
    static final String FORWARDED = "X-Schoolstats-Forwarded";
    /** The signature of an internal request one instance makes of another ({@link io.schoolstats.auth.PeerGrant}). */
    static final String GRANT = "X-Schoolstats-Grant";
    /** The largest request body Javalin reads into memory (its own limit; ingestion streams bodies instead). */
    static final long MAX_REQUEST_BYTES = 1_000_000;
    /** The instance whose figures a forwarded answer holds. */
    static final String SERVED_BY = "X-Schoolstats-Served-By";
    /** Where an instance tells the others its latest school day. */
    public static final String CURRENT_DAY_PATH = "/internal/v1/current-day";
    /** For the other instances: a cluster's members and scheme of a school year, to check scores against. */
    static final String SCORING_PATH = "/internal/v1/scoring";
    static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient PEERS = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Placement placement;
    private final Javalin app;
    private final StatsQuery query;
    private final RenderedMetrics metrics;
    private final Supplier<KafkaStreams.State> state;
    /** Where {@link #start} listens; read by the connector when the server starts. */
    private String bindAddress;
    private int port;

    /**
     * @param placement which instance owns a unit: a GET for a unit another instance owns is
     *                  forwarded there; null when this instance is the only one that answers
     */
    public ApiServer(StatsQuery query, RenderedMetrics metrics, Supplier<KafkaStreams.State> state, Placement placement) {
        this.placement = placement;
        this.query = query;
        this.metrics = metrics;
        this.state = state;
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.router.ignoreTrailingSlashes = true;
            QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4, 60_000, -1,
                    new BlockingArrayQueue<>(MAX_QUEUED), null);
            threads.setName("schoolstats-http");
            config.jetty.threadPool = threads;
            // No Jetty minimum request data rate: it counts from the body's first byte, so a small
            // body read after a pause of the server (a collection) would be cut. Bodies are read
            // through BoundedInput, which counts only the time spent waiting for the client
            // (IngestRoutes.MIN_BODY_RATE).
            config.jetty.modifyHttpConfiguration(http -> http.setMinResponseDataRate(MIN_RESPONSE_DATA_RATE));
            config.jetty.addConnector((server, http) -> {
                // One acceptor and two selectors: the thread budget stays within MAX_THREADS on any machine.
                ServerConnector connector = new ServerConnector(server, 1, 2, new HttpConnectionFactory(http));
                connector.setHost(bindAddress);
                connector.setPort(port);
                connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                return connector;
            });
        });
        app.get("/", this::index);
        app.get("/metrics", this::metrics);
        app.get("/health/live", ctx -> json(ctx, HttpStatus.OK, Map.of("status", "UP")));
        app.get("/health/ready", this::ready);
        app.get("/api/v1/stats/{scope}/{code}", this::stats);
        app.get("/api/v1/units/{scope}", this::units);
        app.get("/api/v1/clusters/{clusterId}/ranking", this::ranking);
        app.get("/api/v1/clusters/{clusterId}/emulation", this::emulation);
        app.get("/api/v1/schemas/{type}", this::schema);
        // For the other instances: this one's latest school day (the current day is the latest of all).
        app.get(CURRENT_DAY_PATH, ctx -> json(ctx, HttpStatus.OK, Map.of("day",
                query.localCurrentDay().map(LocalDate::toString).orElse(""))));
        app.get(SCORING_PATH, ctx -> {
            String clusterId = ctx.queryParam("clusterId");
            String year = schoolYear(ctx);
            if (clusterId == null || year == null) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "'clusterId' and 'schoolYear' are required");
            }
            if (!answeredElsewhere(ctx, ClusterStage.ROWS, clusterId)) {
                json(ctx, HttpStatus.OK, ClusterScoring.of(query, clusterId, year).toJson());
            }
        });
        app.exception(ApiException.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
        // Jetty's own refusals while a handler reads a body (broken chunked encoding: 400).
        app.exception(BadMessageException.class, (e, ctx) -> error(ctx, HttpStatus.forStatus(e.getCode()),
                String.valueOf(e.getReason())));
        app.exception(InvalidStateStoreException.class, (e, ctx) -> error(ctx, HttpStatus.SERVICE_UNAVAILABLE,
                "statistics are not available right now (the stream processor is starting or rebalancing); retry shortly"));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getClass().getSimpleName());
        });
        app.error(HttpStatus.NOT_FOUND, ctx -> {
            if (ctx.result() == null) {
                error(ctx, HttpStatus.NOT_FOUND, "no such endpoint: " + ctx.method() + " " + Quote.of(ctx.path()));
            }
        });
        app.error(HttpStatus.METHOD_NOT_ALLOWED, ctx -> error(ctx, HttpStatus.METHOD_NOT_ALLOWED,
                "method " + ctx.method() + " is not allowed on " + Quote.of(ctx.path())));
    }

    /** Lets another module (ingestion) add its routes before the server starts. */
    public Javalin javalin() {
        return app;
    }

    /** Listens on {@code bindAddress} ({@code 0.0.0.0}: every interface) and {@code port} (0: any free one). */
    public ApiServer start(String bindAddress, int port) {
        EmbeddedKafka.requireFree(port, "The HTTP API");
        this.bindAddress = bindAddress;
        this.port = port;
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    private void index(Context ctx) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("service", "schoolstats");
        ArrayNode links = root.putArray("endpoints");
        for (String path : List.of("/api/v1/stats/{district|commune|province|cluster}/{code}?schoolYear=&date=",
                "/api/v1/stats/{scope}/{code}/missing?type=attendance&date= (or type=completion|exam&schoolYear=; &level=, &exam=; a unit's token)",
                "/api/v1/clusters/{clusterId}/emulation?schoolYear=",
                "/api/v1/stats/{scope}/{code}/late?type=attendance&date= (or type=completion|exam&schoolYear=; a unit's token)",
                "/api/v1/units/{district|commune|province|cluster}?schoolYear=", "/api/v1/clusters/{clusterId}/ranking?schoolYear=&indicator=",
                "/api/v1/schemas/{attendance|completion|exam|emulation_score}", "/metrics", "/health/live", "/health/ready")) {
            links.add(path);
        }
        json(ctx, HttpStatus.OK, root);
    }

    private void metrics(Context ctx) {
        // Bytes written before (RenderedMetrics): the aggregates are never rendered here, the meters at most once a second.
        RenderedMetrics.Page page = metrics.page();
        String accepted = ctx.header("Accept-Encoding");
        ctx.contentType(PROMETHEUS_TEXT).header("Vary", "Accept-Encoding");
        if (accepted != null && accepted.toLowerCase(Locale.ROOT).contains("gzip")) {
            ctx.header("Content-Encoding", "gzip").result(page.gzip());
        } else {
            ctx.result(page.text());
        }
    }

    private void ready(Context ctx) {
        KafkaStreams.State s = state.get();
        boolean running = s == KafkaStreams.State.RUNNING;
        json(ctx, running ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE,
                Map.of("status", running ? "UP" : "DOWN", "streams", String.valueOf(s)));
    }

    private void stats(Context ctx) {
        Scope scope = scope(ctx.pathParam("scope"));
        String code = ctx.pathParam("code");
        if (answeredElsewhere(ctx, scope == Scope.CLUSTER ? ClusterStage.ROWS : UnitStage.rowsStore(Stage.of(scope)), code)) {
            return;
        }
        UnitView.Shown unit = query.shown(scope, code)
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                        "unknown " + scope.label() + " '" + Quote.of(code) + "'"));
        try {
            json(ctx, HttpStatus.OK, UnitView.render(query, unit, date(ctx), schoolYear(ctx)));
        } catch (UnitView.NotInForce e) {
            throw new ApiException(HttpStatus.NOT_FOUND, scope.label() + " " + e.getMessage());
        }
    }

    private void units(Context ctx) throws IOException {
        Scope scope = scope(ctx.pathParam("scope"));
        String year = schoolYear(ctx);
        ArrayNode list = Json.MAPPER.createArrayNode();
        // Each instance lists the units it owns; the one asked first adds the others' lists.
        if (placement != null && ctx.header(FORWARDED) == null) {
            java.util.TreeMap<String, JsonNode> all = new java.util.TreeMap<>();
            for (String other : placement.others()) {
                HttpResponse<byte[]> answer = fetch(ctx, other);
                JsonNode units = answer.statusCode() == 200 ? Json.MAPPER.readTree(answer.body()) : null;
                if (units == null || !units.isArray()) {
                    // A list without another instance's units would be wrong without saying so.
                    throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the instance at " + other
                            + " could not list its units right now (" + answer.statusCode() + "); retry in a few seconds");
                }
                units.forEach(unit -> all.put(unit.path("code").asText(), unit));
            }
            ArrayNode local = localUnits(scope, year);
            local.forEach(unit -> all.put(unit.path("code").asText(), unit));
            list.addAll(all.values());
            json(ctx, HttpStatus.OK, list);
            return;
        }
        json(ctx, HttpStatus.OK, localUnits(scope, year));
    }

    private ArrayNode localUnits(Scope scope, String year) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        if (scope == Scope.CLUSTER) {
            query.clusters().forEach((id, years) -> {
                Cluster row = year == null ? years.lastEntry().getValue() : years.get(year);
                if (row != null) {
                    list.addObject().put("code", id).put("name", row.name());
                }
            });
        } else {
            for (UnitRows rows : query.units(Stage.of(scope))) {
                Unit unit = year == null ? rows.unit(rows.latest()) : rows.unit(year);
                if (unit != null && unit.scope() == scope) {
                    list.addObject().put("code", unit.code()).put("name", unit.name());
                }
            }
        }
        return list;
    }

    /**
     * A cluster's rows by school year, when this instance owns it; null when another instance
     * answered (the request was forwarded there); {@code 404} for an unknown cluster.
     */
    private Map<String, Cluster> clusterHere(Context ctx, String clusterId) {
        if (answeredElsewhere(ctx, ClusterStage.ROWS, clusterId)) {
            return null;
        }
        Map<String, Cluster> years = query.clusterYears(clusterId);
        if (years.isEmpty()) {
            throw new ApiException(HttpStatus.NOT_FOUND, "unknown cluster '" + Quote.of(clusterId) + "'");
        }
        return years;
    }

    /** The league table of a cluster's school year (default: the current one, else the latest with a scheme). */
    private void emulation(Context ctx) {
        String clusterId = ctx.pathParam("clusterId");
        Map<String, Cluster> years = clusterHere(ctx, clusterId);
        if (years == null) {
            return;
        }
        java.util.TreeMap<String, io.schoolstats.reference.EmulationScheme> schemes = query.schemes(clusterId);
        String year = schoolYear(ctx);
        if (year == null) {
            year = query.currentSchoolYear().filter(schemes::containsKey)
                    .orElse(schemes.isEmpty() ? null : schemes.lastKey());
            if (year == null) {
                throw new ApiException(HttpStatus.NOT_FOUND, "cluster '" + clusterId + "' has no scoring scheme "
                        + "(reference.emulation-schemes)");
            }
        }
        League.Table table = League.of(query, clusterId, year);
        if (table == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "cluster '" + clusterId + "' has no "
                    + (years.containsKey(year) ? "scoring scheme" : "members") + " in " + year
                    + "; it has members in " + years.keySet() + " and schemes for " + schemes.keySet());
        }
        json(ctx, HttpStatus.OK, League.toJson(table));
    }

    private void ranking(Context ctx) {
        String clusterId = ctx.pathParam("clusterId");
        Map<String, Cluster> years = clusterHere(ctx, clusterId);
        if (years == null) {
            return;
        }
        String year = schoolYear(ctx);
        if (year == null) {
            Optional<String> current = query.currentSchoolYear().filter(years::containsKey);
            year = current.orElse(((java.util.TreeMap<String, Cluster>) years).lastKey());
        }
        Cluster row = years.get(year);
        if (row == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "cluster '" + clusterId + "' has no members in " + year
                    + "; it has rows for " + years.keySet());
        }
        String indicator = ctx.queryParam("indicator");
        List<Ranking.Indicator> indicators = Ranking.of(query, clusterId, year);
        if (indicator != null && !indicator.isBlank()) {
            List<Ranking.Indicator> one = indicators.stream().filter(i -> i.indicator().equals(indicator)).toList();
            if (one.isEmpty()) {
                throw new ApiException(HttpStatus.NOT_FOUND, "no data for indicator '" + Quote.of(indicator) + "' in " + year
                        + "; indicators with data: " + indicators.stream().map(Ranking.Indicator::indicator).toList());
            }
            indicators = one;
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("clusterId", clusterId);
        root.put("name", row.name());
        root.put("schoolYear", year);
        root.put("memberScope", row.scope().label());
        root.put("head", row.head());
        ArrayNode members = root.putArray("members");
        row.members().forEach(members::add);
        ArrayNode list = root.putArray("indicators");
        for (Ranking.Indicator i : indicators) {
            ObjectNode node = list.addObject();
            node.put("indicator", i.indicator());
            ArrayNode places = node.putArray("ranking");
            for (Ranking.Place p : i.places()) {
                places.addObject().put("rank", p.rank()).put("scope", p.scope()).put("code", p.code())
                        .put("name", p.name()).put("ratio", p.ratio().value())
                        .put("numerator", p.ratio().numerator()).put("denominator", p.ratio().denominator())
                        .put("head", p.head());
            }
        }
        json(ctx, HttpStatus.OK, root);
    }

    private void schema(Context ctx) throws IOException {
        String type = ctx.pathParam("type");
        if (!io.schoolstats.report.ReportSchemas.exists(type)) {
            throw new ApiException(HttpStatus.NOT_FOUND, "unknown report type '" + Quote.of(type)
                    + "': attendance, completion, exam or emulation_score");
        }
        try (InputStream in = ApiServer.class.getResourceAsStream(io.schoolstats.report.ReportSchemas.resource(type))) {
            ctx.status(HttpStatus.OK).contentType("application/schema+json").result(in.readAllBytes());
        }
    }

    static Scope scope(String text) {
        return Scope.fromLabel(text).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                "unknown scope '" + Quote.of(text) + "': district, commune, province or cluster"));
    }

    static LocalDate date(Context ctx) {
        String text = ctx.queryParam("date");
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST,
                    "'date' must be a date like 2024-03-05, got '" + Quote.of(text) + "'");
        }
    }

    static String schoolYear(Context ctx) {
        String text = ctx.queryParam("schoolYear");
        if (text == null || text.isBlank()) {
            return null;
        }
        if (!SchoolYear.isValid(text)) {
            throw new ApiException(HttpStatus.BAD_REQUEST,
                    "'schoolYear' must look like 2023-2024, got '" + Quote.of(text) + "'");
        }
        return text;
    }

    /**
     * True after answering for a unit another instance owns (its answer, forwarded) or whose owner
     * is unknown (503, during a rebalance); false when this instance owns it and should answer.
     * A request is forwarded once at most: one that was forwarded here and finds its owner moved
     * again gets 503 rather than travelling on.
     */
    private boolean answeredElsewhere(Context ctx, String store, String key) {
        return answeredElsewhere(placement, ctx, store, key);
    }

    static boolean answeredElsewhere(Placement placement, Context ctx, String store, String key) {
        if (placement == null) {
            return false;
        }
        Placement.Owner owner = placement.ownerOf(store, key);
        switch (owner.where()) {
            case HERE:
                return false;
            case UNKNOWN:
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "which instance holds '" + Quote.of(key)
                        + "' is not known right now (the instances are sharing out their work); retry in a few seconds");
            default:
                if (ctx.header(FORWARDED) != null) {
                    throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "'" + Quote.of(key) + "' moved to another "
                            + "instance while this request was forwarded; retry in a few seconds");
                }
                HttpResponse<byte[]> answer = fetch(ctx, owner.url());
                ctx.status(answer.statusCode()).header(SERVED_BY, owner.url())
                        .contentType(answer.headers().firstValue("Content-Type").orElse("application/json"))
                        .result(answer.body());
                return true;
        }
    }

    /** The same GET (path and query) asked of another instance, marked as forwarded; 503 if it does not answer. */
    private static HttpResponse<byte[]> fetch(Context ctx, String base) {
        String query = ctx.queryString();
        return send(ctx, base, ctx.path() + (query == null ? "" : "?" + query), null, null);
    }

    /**
     * A request to another instance, marked as forwarded: a GET, or a POST of a JSON body signed
     * with {@code grant}. A read of per-school detail carries the caller's Authorization, so that
     * the other instance grants no more than this one would. 503 if it does not answer.
     */
    static HttpResponse<byte[]> send(Context ctx, String base, String pathAndQuery, byte[] body, String grant) {
        URI uri;
        try {
            uri = URI.create(base + pathAndQuery);
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "the path or query has characters that must be "
                    + "percent-encoded: " + Quote.of(ctx.path()));
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(FORWARD_TIMEOUT).header(FORWARDED, "1");
        // Only a read of per-school detail needs the caller's token over there: no other forwarded
        // GET carries it.
        String authorization = ctx.header("Authorization");
        if (authorization != null && SchoolDetailRoutes.isDetail(ctx.path())) {
            builder.header("Authorization", authorization);
        }
        if (grant != null) {
            builder.header(GRANT, grant);
        }
        HttpRequest request = body == null ? builder.GET().build()
                : builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return PEERS.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the instance at " + base + " did not answer ("
                    + e.getClass().getSimpleName() + "); retry in a few seconds");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted while asking " + base);
        }
    }

    /**
     * A cluster's members and scheme of a school year, from this instance when it owns the cluster,
     * else from the one that does (for checking evaluators' scores before they are written).
     *
     * @throws ApiException 503 when the owner is not known or does not answer
     */
    public ClusterScoring scoring(String clusterId, String schoolYear) {
        Placement.Owner owner = placement == null ? null : placement.ownerOf(ClusterStage.ROWS, clusterId);
        if (owner == null || owner.where() == Placement.Owner.Where.HERE) {
            return ClusterScoring.of(query, clusterId, schoolYear);
        }
        if (owner.where() == Placement.Owner.Where.UNKNOWN) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "which instance holds cluster '" + Quote.of(clusterId)
                    + "' is not known right now (the instances are sharing out their work); retry in a few seconds");
        }
        // The id as a query parameter: any id survives encoding there (in a path, "." or ".." would not).
        String path = SCORING_PATH + "?clusterId=" + java.net.URLEncoder.encode(clusterId,
                java.nio.charset.StandardCharsets.UTF_8) + "&schoolYear=" + schoolYear;
        HttpRequest request = HttpRequest.newBuilder(URI.create(owner.url() + path)).timeout(FORWARD_TIMEOUT)
                .header(FORWARDED, "1").GET().build();
        try {
            HttpResponse<byte[]> answer = PEERS.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the instance holding cluster '"
                        + Quote.of(clusterId) + "' answered " + answer.statusCode() + "; retry in a few seconds");
            }
            return ClusterScoring.fromJson(Json.MAPPER.readTree(answer.body()));
        } catch (IOException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the instance at " + owner.url() + " did not answer ("
                    + e.getClass().getSimpleName() + "); retry in a few seconds");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted while asking " + owner.url());
        }
    }

    static void json(Context ctx, HttpStatus status, Object body) {
        try {
            ctx.status(status).contentType("application/json; charset=utf-8").result(Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void error(Context ctx, HttpStatus status, String message) {
        json(ctx, status, Map.of("error", message));
    }

    @Override
    public void close() {
        app.stop();
    }

    /** An error with the HTTP status it answers with. */
    public static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient HttpStatus status;

        public ApiException(HttpStatus status, String message) {
            super(message);
            this.status = status;
        }
    }
}

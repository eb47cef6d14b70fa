package io.schoolstats.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.schoolstats.auth.Revocation;
import io.schoolstats.auth.Tokens;
import io.schoolstats.contract.Topics;
import io.schoolstats.ingest.Audit;
import io.schoolstats.ingest.Bodies;
import io.schoolstats.ingest.BodyException;
import io.schoolstats.ingest.BoundedInput;
import io.schoolstats.ingest.Checked;
import io.schoolstats.ingest.Item;
import io.schoolstats.ingest.ItemStream;
import io.schoolstats.ingest.KafkaWriter;
import io.schoolstats.ingest.ReferenceKind;
import io.schoolstats.ingest.Validation;
import io.schoolstats.query.ClusterScoring;
import io.schoolstats.report.EmulationScore;
import io.schoolstats.report.Json;
import io.schoolstats.report.Received;
import io.schoolstats.report.Quote;
import io.schoolstats.report.ReportType;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write half of the API: schools submit reports, operators change reference data. Every
 * request is all or nothing, and every refusal says why, in English or, with
 * {@code Accept-Language: vi}, in Vietnamese.
 */
public final class IngestRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(IngestRoutes.class);

    /** Most errors a 400 lists; {@code "total"} counts them all (CONTRACT section 4). */
    public static final int MAX_ERRORS_LISTED = 100;
    /**
     * A body sent slower than this (bytes per second, counting only the time spent waiting for
     * it) is cut with 408, so that a client trickling its body cannot hold a server thread.
     */
    public static final long MIN_BODY_RATE = 1_000;
    /** Most (cluster, school year) pairs one request of evaluators' scores may name. */
    public static final int MAX_SCORED_CLUSTER_YEARS = 10;

    private final Tokens tokens;
    private final KafkaWriter writer;
    private final long maxBodyBytes;
    private final int maxItems;
    private final ZoneId zone;
    private final Predicate<String> examDefined;
    private final java.util.function.BiFunction<String, String, ClusterScoring> scoring;

    /**
     * @param tokens       null when no secret is configured: ingestion over HTTP is then refused, saying why
     * @param maxBodyBytes the largest body read (413 above)
     * @param maxItems     the most items (reports, rows) in one request (413 above)
     * @param zone         the deployment's time zone: a report's dates are bounded by the day it arrives there
     * @param examDefined  whether an exam code is in the catalogue
     * @param scoring      a cluster's members and scheme of a school year, wherever held (evaluators'
     *                     scores are checked against them); may throw {@link ApiServer.ApiException} 503
     */
    public IngestRoutes(Tokens tokens, KafkaWriter writer, long maxBodyBytes, int maxItems, ZoneId zone,
                        Predicate<String> examDefined,
                        java.util.function.BiFunction<String, String, ClusterScoring> scoring) {
        this.tokens = tokens;
        this.writer = writer;
        this.maxBodyBytes = maxBodyBytes;
        this.maxItems = maxItems;
        this.zone = zone;
        this.examDefined = examDefined;
        this.scoring = scoring;
    }

    public void register(Javalin app) {
        app.post("/api/v1/reports/{type}", this::postReports);
        app.put("/api/v1/reference/{kind}", this::putReference);
        app.delete("/api/v1/reference/{kind}/{id}", this::deleteReference);
        app.post("/api/v1/tokens/revoked", this::revokeTokens);
        // Every write request gets an id (answered in X-Request-Id, written in the records' headers)
        // and one log line: who, with which token, what, and the answer.
        app.before("/api/v1/*", ctx -> {
            if (isWrite(ctx)) {
                String id = java.util.UUID.randomUUID().toString();
                ctx.attribute(REQUEST_ID, id);
                ctx.header("X-Request-Id", id);
            }
        });
        app.after("/api/v1/*", ctx -> {
            if (isWrite(ctx)) {
                Tokens.Claims claims = ctx.attribute(CLAIMS);
                Integer accepted = ctx.attribute(ACCEPTED);
                LOG.info("write request={} {} {} status={} submitter={} token={} records={}", ctx.<String>attribute(REQUEST_ID),
                        ctx.method(), ctx.path(), ctx.statusCode(), claims == null ? "-" : submitter(claims),
                        claims == null ? "-" : claims.tokenId(), accepted == null ? 0 : accepted);
            }
        });
    }

    private static final String REQUEST_ID = "schoolstats.requestId";
    private static final String CLAIMS = "schoolstats.claims";
    private static final String ACCEPTED = "schoolstats.accepted";

    private static boolean isWrite(Context ctx) {
        return !ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD")
                && !ctx.method().name().equals("OPTIONS");
    }

    /**
     * {@code school:ID}, {@code operator} or {@code unit:SCOPE:CODE} (refused, but logged): who a
     * token speaks for, as the audit headers and the log say it.
     */
    static String submitter(Tokens.Claims claims) {
        return switch (claims.role()) {
            case SCHOOL -> "school:" + claims.school();
            case UNIT -> "unit:" + claims.unit();
            case EVALUATOR -> "evaluator:" + claims.unit().code();
            case OPERATOR -> "operator";
        };
    }

    private void postReports(Context ctx) throws IOException {
        boolean vi = vietnamese(ctx);
        String typeLabel = ctx.pathParam("type");
        if (EmulationScore.LABEL.equals(typeLabel)) {
            postScores(ctx, vi);
            return;
        }
        ReportType type = ReportType.fromLabel(typeLabel).orElse(null);
        if (type == null) {
            refuse(ctx, HttpStatus.NOT_FOUND, "unknown report type '" + Quote.of(typeLabel)
                            + "': attendance, completion, exam or emulation_score",
                    "Loại báo cáo '" + Quote.of(typeLabel) + "' không tồn tại: attendance, completion, exam hoặc "
                            + "emulation_score");
            return;
        }
        Tokens.Claims claims = authenticate(ctx, vi);
        if (claims == null) {
            return;
        }
        if (claims.role() == Tokens.Role.EVALUATOR) {
            refuse(ctx, HttpStatus.FORBIDDEN, "an evaluator's token submits emulation scores only "
                            + "(POST /api/v1/reports/emulation_score)",
                    "Mã truy cập của người chấm điểm thi đua chỉ dùng để gửi điểm thi đua");
            return;
        }
        Received received = Received.at(Instant.now(), zone);
        Checked checked = check(ctx, vi, false, (item, into) -> {
            if (!claims.operator()) {
                String school = item.node() != null && item.node().path("schoolId").isTextual()
                        ? io.schoolstats.report.Fields.normalize(item.node().get("schoolId").asText()) : null;
                if (school != null && !school.equals(claims.school())) {
                    throw new Refusal(HttpStatus.FORBIDDEN, "this token may submit reports of school '" + claims.school()
                            + "' only; item " + item.index() + " is for school '" + Quote.of(school) + "'",
                            "Mã truy cập này chỉ được gửi báo cáo của trường '" + claims.school() + "'; mục "
                                    + item.index() + " là của trường '" + Quote.of(school) + "'");
                }
            }
            Validation.report(type, item, received, examDefined, into);
        });
        if (checked != null) {
            write(ctx, vi, checked);
        }
    }

    /**
     * Evaluators' scores: an evaluator's token scores its own cluster only, an operator's any; a
     * school's token none. Each score is checked on its own and against its cluster's members and
     * scheme of its school year (asked of the instance that holds the cluster, once per cluster
     * and year of the request), so that a score accepted here is never rejected downstream.
     */
    private void postScores(Context ctx, boolean vi) throws IOException {
        Tokens.Claims claims = authenticate(ctx, vi);
        if (claims == null) {
            return;
        }
        if (claims.role() == Tokens.Role.SCHOOL) {
            refuse(ctx, HttpStatus.FORBIDDEN, "a school's token cannot submit emulation scores: use the cluster's "
                            + "evaluator token ('token issue --evaluator CLUSTER')",
                    "Mã truy cập của trường không được gửi điểm thi đua: hãy dùng mã của người chấm điểm của cụm");
            return;
        }
        Received received = Received.at(Instant.now(), zone);
        java.util.Map<String, ClusterScoring> scorings = new java.util.HashMap<>();
        Checked checked = check(ctx, vi, false, (item, into) -> {
            io.schoolstats.report.Parsed<EmulationScore> parsed = Validation.score(item, received);
            if (!parsed.isValid()) {
                into.reject(item.index(), parsed.violations());
                return;
            }
            EmulationScore score = parsed.value();
            if (claims.role() == Tokens.Role.EVALUATOR && !score.clusterId().equals(claims.unit().code())) {
                throw new Refusal(HttpStatus.FORBIDDEN, "this token may submit scores of cluster '"
                        + claims.unit().code() + "' only; item " + item.index() + " is for cluster '"
                        + Quote.of(score.clusterId()) + "'",
                        "Mã truy cập này chỉ được gửi điểm của cụm '" + claims.unit().code() + "'; mục " + item.index()
                                + " là của cụm '" + Quote.of(score.clusterId()) + "'");
            }
            String pair = score.clusterId() + "|" + score.schoolYear();
            if (!scorings.containsKey(pair) && scorings.size() >= MAX_SCORED_CLUSTER_YEARS) {
                // Each cluster and year may cost a call to another instance: a request names few.
                throw new Refusal(HttpStatus.BAD_REQUEST, "a request may score at most " + MAX_SCORED_CLUSTER_YEARS
                        + " clusters and school years; item " + item.index() + " names another: send it separately",
                        "Mỗi lần gửi chỉ được chấm điểm tối đa " + MAX_SCORED_CLUSTER_YEARS + " cặp cụm và năm học; mục "
                                + item.index() + " thuộc cặp khác: hãy gửi riêng");
            }
            ClusterScoring scoringOf;
            try {
                scoringOf = scorings.computeIfAbsent(pair, k -> scoring.apply(score.clusterId(), score.schoolYear()));
            } catch (RuntimeException e) {
                // The owner unknown or silent, a rebalance, an answer this instance cannot read: retry later.
                HttpStatus status = e instanceof ApiServer.ApiException api ? api.status : HttpStatus.SERVICE_UNAVAILABLE;
                throw new Refusal(status, "the cluster's scheme could not be read (" + Quote.of(e.getMessage())
                        + "); nothing was written, retry in a few seconds",
                        "Chưa kiểm tra được điểm với bảng tiêu chí của cụm; chưa có dữ liệu nào được ghi, vui lòng gửi lại sau");
            }
            List<io.schoolstats.report.Violation> unfit = scoringOf.check(score);
            if (!unfit.isEmpty()) {
                into.reject(item.index(), unfit);
                return;
            }
            into.accept(Validation.scoreRecord(item, score));
        });
        if (checked != null) {
            write(ctx, vi, checked);
        }
    }

    private void putReference(Context ctx) throws IOException {
        boolean vi = vietnamese(ctx);
        ReferenceKind kind = operatorKind(ctx, vi);
        if (kind == null) {
            return;
        }
        Checked checked = check(ctx, vi, true, (item, into) -> Validation.reference(kind, item, into));
        if (checked != null) {
            write(ctx, vi, checked);
        }
    }

    private void deleteReference(Context ctx) {
        boolean vi = vietnamese(ctx);
        ReferenceKind kind = operatorKind(ctx, vi);
        if (kind == null) {
            return;
        }
        // A school year's row: ?schoolYear=2025-2026 (or the id written as id|2025-2026); else the timeless row.
        String year = ctx.queryParam("schoolYear");
        if (year != null && kind == ReferenceKind.EXAMS) {
            ApiServer.json(ctx, HttpStatus.BAD_REQUEST, Json.MAPPER.createObjectNode().put("error",
                    "the exam catalogue has no school years: delete the code itself"));
            return;
        }
        if (year != null && !io.schoolstats.report.SchoolYear.isValid(year)) {
            ApiServer.json(ctx, HttpStatus.BAD_REQUEST, Json.MAPPER.createObjectNode().put("error",
                    "'schoolYear' must look like 2025-2026 (two consecutive years)"));
            return;
        }
        // The key as the PUT of the row wrote it: in NFC (compaction matches keys by their bytes).
        String given = io.schoolstats.report.Fields.normalize(ctx.pathParam("id"));
        String id = year == null ? given : new io.schoolstats.reference.RowKey(given, year).encode();
        var valid = kind == ReferenceKind.EXAMS ? io.schoolstats.reference.ReferenceParser.examDeletion(id)
                : io.schoolstats.reference.ReferenceParser.deletion(id, kind.yearRequired());
        if (!valid.isValid()) {
            ApiServer.json(ctx, HttpStatus.BAD_REQUEST, Json.MAPPER.createObjectNode().put("error",
                    valid.violations().get(0).message()));
            return;
        }
        write(ctx, vi, new Checked(List.of(new Checked.Accepted(0, kind.topic(), id, null, null)), List.of()));
    }

    /**
     * An operator revokes tokens by id: {@code {"tokenId":…,"expiresAt":…,"reason":…}} (or an array
     * of them, all or nothing), written to {@code tokens.revoked}, which every instance follows.
     */
    private void revokeTokens(Context ctx) throws Exception {
        boolean vi = vietnamese(ctx);
        Tokens.Claims claims = authenticate(ctx, vi);
        if (claims == null || !requireOperator(ctx, claims, "only an operator token may revoke tokens",
                "Chỉ mã truy cập của quản trị viên mới được thu hồi mã truy cập")) {
            return;
        }
        Instant now = Instant.now();
        Checked checked = check(ctx, vi, false, (item, into) -> {
            JsonNode node = item.node();
            try {
                if (node == null || !node.isObject()) {
                    throw new IllegalArgumentException("write an object {\"tokenId\":…} (\"expiresAt\" and "
                            + "\"reason\" optional)");
                }
                Revocation revocation = new Revocation(text(node, "tokenId"), now,
                        Revocation.instant(text(node, "expiresAt"), "expiresAt"), text(node, "reason"));
                into.accept(new Checked.Accepted(item.index(), Topics.REVOKED_TOKENS.name(), revocation.tokenId(),
                        revocation.toJson(), null));
            } catch (IllegalArgumentException e) {
                String message = "item " + item.index() + ": " + Quote.of(e.getMessage());
                throw new Refusal(HttpStatus.BAD_REQUEST, message, message);
            }
        });
        if (checked != null) {
            write(ctx, vi, checked);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return value.asText();
    }

    private void write(Context ctx, boolean vi, Checked checked) {
        if (!checked.allValid()) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            ArrayNode errors = body.putArray("errors");
            Locale locale = vi ? Locale.forLanguageTag("vi") : Locale.ENGLISH;
            for (Checked.Rejection r : checked.rejected()) {
                errors.addObject().put("index", r.index()).put("field", r.violation().field())
                        .put("reason", r.violation().reason().code()).put("message", r.violation().message(locale));
            }
            body.put("total", checked.rejectedTotal());
            body.put("accepted", 0);
            ApiServer.json(ctx, HttpStatus.BAD_REQUEST, body);
            return;
        }
        if (checked.accepted().isEmpty()) {
            ApiServer.json(ctx, HttpStatus.ACCEPTED, Json.MAPPER.createObjectNode().put("accepted", 0));
            return;
        }
        try {
            Tokens.Claims claims = ctx.attribute(CLAIMS);
            writer.write(checked.accepted(), new Audit(submitter(claims), claims.tokenId(), ctx.attribute(REQUEST_ID)));
        } catch (KafkaWriter.UnavailableException e) {
            LOG.warn("a batch of {} records was not written: {}", checked.accepted().size(), e.getMessage());
            refuse(ctx, HttpStatus.SERVICE_UNAVAILABLE, "Kafka could not be reached within "
                            + writer.timeout().toSeconds() + " s; nothing was written, please retry later",
                    "Không kết nối được Kafka trong " + writer.timeout().toSeconds()
                            + " giây; chưa có dữ liệu nào được ghi, vui lòng gửi lại sau");
            return;
        }
        ctx.attribute(ACCEPTED, checked.accepted().size());
        ApiServer.json(ctx, HttpStatus.ACCEPTED, Json.MAPPER.createObjectNode().put("accepted", checked.accepted().size()));
    }

    /**
     * The claims of a caller that may write something, or null after answering 401, 403 (a unit's
     * token, which only reads) or 503 (ingestion off).
     */
    private Tokens.Claims authenticate(Context ctx, boolean vi) {
        if (tokens == null) {
            refuse(ctx, HttpStatus.SERVICE_UNAVAILABLE, "submitting over HTTP is turned off on this server: no token "
                            + "secret is configured (set SCHOOLSTATS_TOKEN_SECRET or SCHOOLSTATS_TOKEN_KEYS, or "
                            + "token.secret or token.keys in --config); "
                            + "reports can still be written to Kafka directly",
                    "Máy chủ này chưa bật nhận báo cáo qua HTTP: chưa cấu hình khóa bí mật cho mã truy cập "
                            + "(SCHOOLSTATS_TOKEN_SECRET hoặc SCHOOLSTATS_TOKEN_KEYS); vẫn có thể gửi báo cáo thẳng vào Kafka");
            return null;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer");
            refuse(ctx, HttpStatus.UNAUTHORIZED, "a token is required: send 'Authorization: Bearer <token>'",
                    "Cần mã truy cập: gửi kèm tiêu đề 'Authorization: Bearer <mã>'");
            return null;
        }
        try {
            Tokens.Claims claims = tokens.verify(header.substring(7).trim());
            ctx.attribute(CLAIMS, claims);
            if (claims.role() == Tokens.Role.UNIT) {
                // Refused here, before any route looks at the body or the schools: a unit's token
                // names no school, and its office reads, it does not write.
                refuse(ctx, HttpStatus.FORBIDDEN, "a unit's token reads its unit's detail; it cannot submit reports, "
                                + "reference data or revocations: use the school's token, or an operator's",
                        "Mã truy cập của đơn vị chỉ dùng để xem danh sách chi tiết của đơn vị; không được gửi báo cáo, "
                                + "dữ liệu danh mục hay thu hồi mã truy cập");
                return null;
            }
            return claims;
        } catch (Tokens.InvalidToken e) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            refuse(ctx, HttpStatus.UNAUTHORIZED, e.getMessage(), switch (e.reason()) {
                case EXPIRED -> "Mã truy cập đã hết hạn: hãy xin mã mới";
                case REVOKED -> "Mã truy cập đã bị thu hồi: hãy xin mã mới";
                case NO_EXPIRY -> "Mã truy cập không có thời hạn nên không được chấp nhận: hãy xin mã mới";
                case UNKNOWN_KEY, OLD_FORMAT -> "Máy chủ không còn chấp nhận mã truy cập này: hãy xin mã mới";
                case MALFORMED, BAD_SIGNATURE -> "Mã truy cập không hợp lệ";
            });
            return null;
        }
    }

    /** The reference kind of the path for an operator's request, or null after answering 404, 401 or 403. */
    private ReferenceKind operatorKind(Context ctx, boolean vi) {
        ReferenceKind kind = referenceKind(ctx, vi);
        if (kind == null) {
            return null;
        }
        Tokens.Claims claims = authenticate(ctx, vi);
        return claims == null || !requireOperator(ctx, claims, "only an operator token may change reference data",
                "Chỉ mã truy cập của quản trị viên mới được thay đổi dữ liệu danh mục") ? null : kind;
    }

    private boolean requireOperator(Context ctx, Tokens.Claims claims, String english, String vietnamese) {
        if (claims.operator()) {
            return true;
        }
        refuse(ctx, HttpStatus.FORBIDDEN, english, vietnamese);
        return false;
    }

    private ReferenceKind referenceKind(Context ctx, boolean vi) {
        String label = ctx.pathParam("kind");
        ReferenceKind kind = ReferenceKind.fromLabel(label).orElse(null);
        if (kind == null) {
            refuse(ctx, HttpStatus.NOT_FOUND, "unknown reference data '" + Quote.of(label)
                            + "': schools, districts, provinces, clusters, exams or emulation-schemes",
                    "Danh mục '" + Quote.of(label) + "' không tồn tại: schools, districts, provinces, clusters, exams "
                            + "hoặc emulation-schemes");
        }
        return kind;
    }

    /** What to do with each item as it is read: validate it into the builder, or refuse the request. */
    private interface ItemCheck {
        void check(Item item, Checked.Builder into) throws Refusal;
    }

    /** A refusal of the whole request, found in one of its items. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final transient HttpStatus status;
        final String vietnamese;

        Refusal(HttpStatus status, String english, String vietnamese) {
            super(english);
            this.status = status;
            this.vietnamese = vietnamese;
        }
    }

    /**
     * Reads the body item by item as it arrives and checks each, keeping only what the answer
     * needs (the records to write, the first errors and their count). Returns null after
     * answering 413 (body over --max-body-bytes, or more than --max-items items: reading stops at
     * the first item over), 415, 400 (a body that is not JSON or CSV, or breaks a limit on
     * bodies) or the item check's refusal. A body refused before its end is read to its end (up
     * to the limit) and dropped, so that the client, still sending, gets the answer.
     */
    private Checked check(Context ctx, boolean vi, boolean reference, ItemCheck itemCheck) throws IOException {
        if (ctx.contentLength() > maxBodyBytes) {
            tooLarge(ctx);
            return null;
        }
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        boolean csv = Bodies.isCsv(contentType);
        if (!csv && !(contentType.isEmpty() || contentType.startsWith("application/json") || contentType.contains("+json"))) {
            refuse(ctx, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json (an object or an array) or text/csv, "
                    + "not '" + Quote.of(contentType) + "'", "Hãy gửi application/json (một đối tượng hoặc một mảng) hoặc text/csv");
            return null;
        }
        BoundedInput body = new BoundedInput(ctx.req().getInputStream(), maxBodyBytes, MIN_BODY_RATE);
        Checked.Builder checked = new Checked.Builder(MAX_ERRORS_LISTED);
        try (ItemStream items = csv ? Bodies.csv(body, reference) : Bodies.json(body)) {
            int count = 0;
            for (Item item = items.next(); item != null; item = items.next()) {
                if (++count > maxItems) {
                    body.drain();
                    refuse(ctx, HttpStatus.CONTENT_TOO_LARGE, "more than " + maxItems + " items in one request: "
                                    + "send at most " + maxItems + " at a time",
                            "Quá " + maxItems + " mục trong một lần gửi: mỗi lần gửi tối đa " + maxItems + " mục");
                    return null;
                }
                itemCheck.check(item, checked);
            }
            return checked.build();
        } catch (BoundedInput.TooLarge e) {
            tooLarge(ctx);
            return null;
        } catch (BoundedInput.TooSlow e) {
            refuse(ctx, HttpStatus.REQUEST_TIMEOUT, "the body arrived slower than " + MIN_BODY_RATE
                            + " bytes per second: send it again on a better connection, or in smaller batches",
                    "Nội dung gửi lên đến chậm hơn " + MIN_BODY_RATE
                            + " byte/giây: hãy gửi lại khi đường truyền tốt hơn, hoặc chia nhỏ");
            return null;
        } catch (BodyException e) {
            body.drain();
            ObjectNode answer = Json.MAPPER.createObjectNode();
            ObjectNode error = answer.putArray("errors").addObject();
            if (e.index() == null) {
                error.putNull("index");
            } else {
                error.put("index", e.index());
            }
            error.put("field", e.field()).put("message", e.message(vi));
            answer.put("total", 1);
            answer.put("accepted", 0);
            ApiServer.json(ctx, HttpStatus.BAD_REQUEST, answer);
            return null;
        } catch (Refusal r) {
            body.drain();
            ApiServer.error(ctx, r.status, vi ? r.vietnamese : r.getMessage());
            return null;
        } catch (IOException e) {
            // The client went away, or sent too slowly (idle timeout): the answer is for the log.
            boolean slow = e.getCause() instanceof java.util.concurrent.TimeoutException;
            LOG.info("a request body could not be read: {}", e.toString());
            refuse(ctx, slow ? HttpStatus.REQUEST_TIMEOUT : HttpStatus.BAD_REQUEST, "the body could not be read: "
                    + Quote.of(e.getMessage()), "Không đọc được nội dung gửi lên");
            return null;
        }
    }

    private void tooLarge(Context ctx) {
        refuse(ctx, HttpStatus.CONTENT_TOO_LARGE, "the body is larger than the limit of " + maxBodyBytes
                        + " bytes: split it into smaller batches",
                "Nội dung gửi lên vượt quá giới hạn " + maxBodyBytes + " byte: hãy chia thành nhiều lần gửi");
    }

    private static void refuse(Context ctx, HttpStatus status, String english, String vietnamese) {
        ApiServer.error(ctx, status, vietnamese(ctx) ? vietnamese : english);
    }

    static boolean vietnamese(Context ctx) {
        String header = ctx.header("Accept-Language");
        return header != null && header.trim().toLowerCase(Locale.ROOT).startsWith("vi");
    }
}

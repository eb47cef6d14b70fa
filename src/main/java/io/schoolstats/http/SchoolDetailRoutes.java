package io.schoolstats.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.schoolstats.auth.AccessRefused;
import io.schoolstats.auth.PeerGrant;
import io.schoolstats.auth.ReadAccess;
import io.schoolstats.report.Json;
import io.schoolstats.http.ApiServer.ApiException;
import io.schoolstats.query.StatsQuery;
import io.schoolstats.query.StatsQuery.SchoolStatus;
import io.schoolstats.query.StatsQuery.SchoolsAsked;
import io.schoolstats.reference.Exam;
import io.schoolstats.report.Level;
import io.schoolstats.query.Unit;
import io.schoolstats.query.UnitRows;
import io.schoolstats.query.UnitView;
import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.Quote;
import io.schoolstats.report.ReportType;
import io.schoolstats.report.SchoolYear;
import io.schoolstats.stage.ClusterStage;
import io.schoolstats.stage.Stage;
import io.schoolstats.stage.Target;
import io.schoolstats.stage.UnitRow;
import io.schoolstats.stage.UnitStage;
import io.schoolstats.stats.Deadlines;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per-school detail of a unit (issue 13): which of its registered schools have not sent a report
 * ({@code /missing}), and which sent it after the deadline ({@code /late}), for the office
 * responsible for the unit (a token for that unit, or an operator's; {@link ReadAccess}).
 *
 * <p>A unit's schools live in the school tasks of every instance, and which of them a province or
 * a cluster takes in depends on its districts' or communes' rows, spread over the instances too.
 * So the instance that owns the unit answers in two rounds: it gathers the local units and
 * provinces in force for the school year from every instance ({@value #ROWS_PATH}), works out
 * which units' schools are the unit's (for a province, the schools directly under it and those of
 * its districts or communes; for a cluster, those of its members in force), then asks every
 * instance for its schools of those units ({@value #SCHOOLS_PATH}). That request is signed by the
 * instance that made it ({@link PeerGrant}): the units it names were worked out here, after the
 * caller's access was checked, and a caller cannot name others (its own token is checked again too).
 *
 * <p>Every instance answers per task (per partition of the stage it read), and the answer is
 * given only when the tasks answered cover the whole stage: while a rebalance moves a task, its
 * new owner restores it before it can be read, and the list is refused with {@code 503} and
 * {@code Retry-After} rather than given without that task's schools.
 */
public final class SchoolDetailRoutes {
    static final String ROWS_PATH = "/internal/v1/rows";
    static final String SCHOOLS_PATH = "/internal/v1/schools";
    /** The most units one internal request names (a cluster of every province's communes is a few thousand). */
    static final int MAX_PARENTS = 20_000;
    /** The largest internal request body read (Javalin reads no larger): MAX_PARENTS codes of a few dozen bytes. */
    static final long MAX_INTERNAL_BODY = ApiServer.MAX_REQUEST_BYTES;

    private final StatsQuery query;
    private final Placement placement;
    /** Null when the service has no token keys: per-school detail is then refused (503). */
    private final ReadAccess access;
    /** Signs the internal request this instance makes, and checks those it answers (null with access). */
    private final PeerGrant grants;
    private final Deadlines deadlines;

    public SchoolDetailRoutes(StatsQuery query, Placement placement, ReadAccess access, PeerGrant grants,
                              Deadlines deadlines) {
        this.query = query;
        this.placement = placement;
        this.access = access;
        this.grants = grants;
        this.deadlines = deadlines;
    }

    public void register(Javalin app) {
        app.get("/api/v1/stats/{scope}/{code}/missing", ctx -> detail(ctx, false));
        app.get("/api/v1/stats/{scope}/{code}/late", ctx -> detail(ctx, true));
        app.get(ROWS_PATH, this::rowsInForce);
        app.post(SCHOOLS_PATH, this::localSchools);
    }

    /** True for a path of the per-school detail ({@code .../missing}, {@code .../late}) or an internal call of it. */
    static boolean isDetail(String path) {
        return path.endsWith("/missing") || path.endsWith("/late");
    }

    private void detail(Context ctx, boolean late) throws IOException {
        Scope scope = ApiServer.scope(ctx.pathParam("scope"));
        String code = ctx.pathParam("code");
        requireAccess(ctx, scope, code);
        if (ApiServer.answeredElsewhere(placement, ctx, scope == Scope.CLUSTER ? ClusterStage.ROWS
                : UnitStage.rowsStore(Stage.of(scope)), code)) {
            return;
        }
        UnitView.Shown shown = query.shown(scope, code).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                "unknown " + scope.label() + " '" + Quote.of(code) + "'"));
        SchoolsAsked asked = asked(ctx);
        Unit unit = shown.asOf(asked.schoolYear());
        if (unit == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, scope.label() + " " + code + " has no row in force for "
                    + asked.schoolYear() + "; it has rows for " + shown.years() + " (?schoolYear= or ?date= asks another)");
        }
        Set<Target> parents = parents(ctx, shown.stage(), code, asked.schoolYear());
        List<SchoolStatus> schools = schoolsEverywhere(ctx, scope, code, parents, asked);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("scope", unit.scope().label()).put("code", code).put("name", unit.name());
        root.put("type", asked.type().label());
        if (asked.date() != null) {
            root.put("date", asked.date().toString());
        }
        root.put("schoolYear", asked.schoolYear());
        if (asked.level() != null) {
            root.put("level", asked.level().name());
        }
        if (asked.exam() != null) {
            root.put("exam", asked.exam());
        }
        root.put("registeredSchools", schools.size());
        root.put("reportingSchools", schools.stream().filter(SchoolStatus::reported).count());
        root.put("onTimeSchools", schools.stream().filter(SchoolStatus::onTime).count());
        if (late) {
            root.put("deadline", deadline(asked));
        }
        ArrayNode list = root.putArray("schools");
        schools.stream().filter(s -> late ? s.reported() && !s.onTime() : !s.reported())
                .forEach(s -> list.addObject().put("schoolId", s.schoolId()).put("name", s.name()));
        ApiServer.json(ctx, HttpStatus.OK, root);
    }

    private void requireAccess(Context ctx, Scope scope, String code) {
        if (access == null) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "per-school detail needs tokens, and this service "
                    + "has no token secret configured (SCHOOLSTATS_TOKEN_SECRET or SCHOOLSTATS_TOKEN_KEYS)");
        }
        try {
            access.requireUnit(ctx.header("Authorization"), scope, code);
        } catch (AccessRefused e) {
            ctx.header("WWW-Authenticate", e.challenge());
            throw new ApiException(HttpStatus.forStatus(e.status()), e.message(
                    IngestRoutes.vietnamese(ctx) ? Locale.forLanguageTag("vi") : Locale.ENGLISH));
        }
    }

    private SchoolsAsked asked(Context ctx) {
        String typeText = ctx.queryParam("type");
        ReportType type = typeText == null || typeText.isBlank() ? ReportType.ATTENDANCE
                : ReportType.fromLabel(typeText).orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST,
                "'type' must be attendance, completion or exam, got '" + Quote.of(typeText) + "'"));
        String year = ApiServer.schoolYear(ctx);
        Level level = level(ctx.queryParam("level"));
        String exam = ctx.queryParam("exam");
        if (exam != null) {
            if (type != ReportType.EXAM) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "'exam' goes with type=exam");
            }
            if (!Exam.isCode(exam)) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "'exam' is an upper-case code such as THPT_GRADUATION, "
                        + "got '" + Quote.of(exam) + "'");
            }
            if (!query.examDefined(exam)) {
                throw new ApiException(HttpStatus.NOT_FOUND, "exam '" + exam + "' is not in the catalogue "
                        + "(reference.exams)");
            }
        }
        if (type == ReportType.ATTENDANCE) {
            LocalDate date = ApiServer.date(ctx);
            if (date == null) {
                date = query.currentDay().orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                        "no school day has attendance yet; ask for one with ?date=2025-10-06"));
            }
            if (year != null && !year.equals(SchoolYear.of(date))) {
                throw new ApiException(HttpStatus.BAD_REQUEST, date + " is in " + SchoolYear.of(date) + ", not " + year);
            }
            return new SchoolsAsked(type, SchoolYear.of(date), date, level, null);
        }
        if (year == null) {
            year = query.currentSchoolYear().orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST,
                    "give ?schoolYear=2024-2025 for " + type.label() + " (no school day has attendance yet)"));
        }
        return new SchoolsAsked(type, year, null, level, exam);
    }

    private static Level level(String text) {
        if (text == null) {
            return null;
        }
        for (Level level : Level.values()) {
            if (level.name().equals(text)) {
                return level;
            }
        }
        throw new ApiException(HttpStatus.BAD_REQUEST, "'level' must be one of " + java.util.Arrays.toString(Level.values())
                + ", got '" + Quote.of(text) + "'");
    }

    private String deadline(SchoolsAsked asked) {
        if (asked.type() == ReportType.ATTENDANCE) {
            return asked.date().atTime(deadlines.attendance()).atZone(deadlines.zone()).toOffsetDateTime().toString();
        }
        Deadlines.YearDates dates = asked.type() == ReportType.COMPLETION ? deadlines.completion() : deadlines.exam();
        return dates.of(asked.schoolYear()) + " (end of the day, " + deadlines.zone() + ")";
    }

    /** The units whose schools are the unit's in a school year (see the class comment). */
    private Set<Target> parents(Context ctx, Stage stage, String code, String year) throws IOException {
        Set<Target> parents = new HashSet<>();
        if (stage == Stage.LOCAL) {
            parents.add(new Target(Stage.LOCAL, code));
            return parents;
        }
        RowsInForce rows = rowsEverywhere(ctx, year);
        if (stage == Stage.PROVINCE) {
            addProvince(parents, rows, code);
            return parents;
        }
        Cluster cluster = query.clusterYears(code).get(year);
        if (cluster == null) {
            return parents; // no members that year: no schools
        }
        for (String member : cluster.members()) {
            if (cluster.scope() == Scope.PROVINCE) {
                if (rows.provinces().contains(member)) {
                    addProvince(parents, rows, member);
                }
            } else if (rows.localToProvince().containsKey(member)) {
                parents.add(new Target(Stage.LOCAL, member));
            }
        }
        return parents;
    }

    private static void addProvince(Set<Target> parents, RowsInForce rows, String province) {
        parents.add(new Target(Stage.PROVINCE, province));
        rows.localToProvince().forEach((local, p) -> {
            if (province.equals(p)) {
                parents.add(new Target(Stage.LOCAL, local));
            }
        });
    }

    /** Local units in force for a year (code to province, "" for none) and provinces in force. */
    private record RowsInForce(Map<String, String> localToProvince, Set<String> provinces) {
    }

    private RowsInForce rowsEverywhere(Context ctx, String year) throws IOException {
        Map<Integer, JsonNode> local = new TreeMap<>();
        Map<Integer, JsonNode> provinces = new TreeMap<>();
        List<JsonNode> answers = new ArrayList<>();
        answers.add(localRows(year));
        for (String other : placement == null ? List.<String>of() : placement.others()) {
            HttpResponse<byte[]> answer = ApiServer.send(ctx, other, ROWS_PATH + "?schoolYear=" + year, null, null);
            requireOk(answer, other);
            answers.add(Json.MAPPER.readTree(answer.body()));
        }
        for (JsonNode answer : answers) {
            byTask(answer.path("local"), local);
            byTask(answer.path("provinces"), provinces);
        }
        requireEveryTask(ctx, local.keySet(), "districts and communes");
        requireEveryTask(ctx, provinces.keySet(), "provinces");
        RowsInForce all = new RowsInForce(new TreeMap<>(), new HashSet<>());
        local.values().forEach(rows -> rows.fields().forEachRemaining(e -> all.localToProvince().put(e.getKey(),
                e.getValue().asText())));
        provinces.values().forEach(rows -> rows.forEach(p -> all.provinces().add(p.asText())));
        return all;
    }

    /**
     * Adds an answer's tasks ({@code {"0": ..., "3": ...}}) to those gathered. A task two instances
     * both answered for (one had it, then the other took it over while the questions went out)
     * is taken once: either answer is a whole view of it.
     */
    private static void byTask(JsonNode answer, Map<Integer, JsonNode> into) {
        answer.fields().forEachRemaining(e -> {
            try {
                into.putIfAbsent(Integer.parseInt(e.getKey()), e.getValue());
            } catch (NumberFormatException notATask) {
                throw new ApiException(HttpStatus.BAD_GATEWAY, "another instance answered with a task '"
                        + Quote.of(e.getKey()) + "'");
            }
        });
    }

    /**
     * Refuses to answer from part of a stage: while a rebalance or a restart moves a task, no
     * instance may be able to read it (the new owner is restoring it), and a list without its
     * schools would look complete. The caller is told to ask again instead.
     */
    private void requireEveryTask(Context ctx, Set<Integer> answered, String what) {
        List<Integer> missing = new ArrayList<>();
        for (int task = 0; task < query.tasks(); task++) {
            if (!answered.contains(task)) {
                missing.add(task);
            }
        }
        if (!missing.isEmpty()) {
            ctx.header("Retry-After", "5");
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the " + what + " of partitions " + missing
                    + " are moving between instances (a rebalance or a restart) and no instance can read them yet; "
                    + "retry in a few seconds");
        }
    }

    /** This instance's local units and provinces with a row in force for the year. */
    private void rowsInForce(Context ctx) {
        String year = ApiServer.schoolYear(ctx);
        if (year == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "schoolYear is required");
        }
        ApiServer.json(ctx, HttpStatus.OK, localRows(year));
    }

    /**
     * {@code {"local": {TASK: {CODE: PROVINCE, ...}}, "provinces": {TASK: [CODE, ...]}}}, one entry
     * per task this instance read.
     */
    private ObjectNode localRows(String year) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode local = root.putObject("local");
        query.unitsByTask(Stage.LOCAL).forEach((task, units) -> {
            ObjectNode codes = local.putObject(String.valueOf(task));
            for (UnitRows rows : units) {
                UnitRow row = rows.row(year);
                if (row != null) {
                    codes.put(rows.code(), row.parent() != null && row.parent().stage() == Stage.PROVINCE
                            ? row.parent().code() : "");
                }
            }
        });
        ObjectNode provinces = root.putObject("provinces");
        query.unitsByTask(Stage.PROVINCE).forEach((task, units) -> {
            ArrayNode codes = provinces.putArray(String.valueOf(task));
            units.stream().filter(rows -> rows.row(year) != null).forEach(rows -> codes.add(rows.code()));
        });
        return root;
    }

    private List<SchoolStatus> schoolsEverywhere(Context ctx, Scope scope, String code, Set<Target> parents,
                                                 SchoolsAsked asked) throws IOException {
        Map<Integer, List<SchoolStatus>> byTask = new TreeMap<>(query.schoolsIn(parents, asked, deadlines));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("schoolYear", asked.schoolYear()).put("type", asked.type().label());
        if (asked.date() != null) {
            body.put("date", asked.date().toString());
        }
        if (asked.level() != null) {
            body.put("level", asked.level().name());
        }
        if (asked.exam() != null) {
            body.put("exam", asked.exam());
        }
        ArrayNode list = body.putArray("parents");
        parents.forEach(t -> list.add(t.stage().label() + ":" + t.code()));
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        String path = SCHOOLS_PATH + "?scope=" + scope.label() + "&code=" + java.net.URLEncoder.encode(code,
                java.nio.charset.StandardCharsets.UTF_8);
        for (String other : placement == null ? List.<String>of() : placement.others()) {
            HttpResponse<byte[]> answer = ApiServer.send(ctx, other, path, bytes, grants.sign(bytes));
            requireOk(answer, other);
            Map<Integer, JsonNode> theirs = new TreeMap<>();
            byTask(Json.MAPPER.readTree(answer.body()), theirs);
            theirs.forEach((task, schools) -> {
                List<SchoolStatus> read = new ArrayList<>();
                schools.forEach(s -> read.add(new SchoolStatus(s.path("schoolId").asText(), s.path("name").asText(),
                        s.path("reported").asBoolean(), s.path("onTime").asBoolean())));
                byTask.putIfAbsent(task, read);
            });
        }
        requireEveryTask(ctx, byTask.keySet(), "schools");
        List<SchoolStatus> all = new ArrayList<>();
        byTask.values().forEach(all::addAll);
        all.sort(java.util.Comparator.comparing(SchoolStatus::schoolId));
        return all;
    }

    /** This instance's schools of the units named in the body, for a caller allowed to see the unit asked. */
    private void localSchools(Context ctx) throws IOException {
        Scope scope = ApiServer.scope(String.valueOf(ctx.queryParam("scope")));
        String code = String.valueOf(ctx.queryParam("code"));
        requireAccess(ctx, scope, code);
        if (ctx.contentLength() < 0 || ctx.contentLength() > MAX_INTERNAL_BODY) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "an internal request has a body of known length, at most "
                    + MAX_INTERNAL_BODY + " bytes");
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (!grants.allows(ctx.header(ApiServer.GRANT), bytes)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "only another instance of this service may ask for its schools");
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "the body is not JSON");
        }
        Set<Target> parents = new HashSet<>();
        for (JsonNode p : body.path("parents")) {
            String[] parts = p.asText().split(":", 2);
            if (parts.length != 2 || parents.size() >= MAX_PARENTS) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "parents are STAGE:CODE, at most " + MAX_PARENTS);
            }
            parents.add(new Target(stage(parts[0]), parts[1]));
        }
        ReportType type = ReportType.fromLabel(body.path("type").asText())
                .orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST, "unknown type"));
        String year = body.path("schoolYear").asText();
        if (!SchoolYear.isValid(year)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "schoolYear must look like 2024-2025");
        }
        LocalDate date = null;
        if (type == ReportType.ATTENDANCE) {
            try {
                date = LocalDate.parse(body.path("date").asText());
            } catch (java.time.format.DateTimeParseException e) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "date must look like 2025-10-06");
            }
        }
        Level level = body.hasNonNull("level") ? level(body.path("level").asText()) : null;
        String exam = body.hasNonNull("exam") ? body.path("exam").asText() : null;
        if (exam != null && !Exam.isCode(exam)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "exam must be an upper-case code");
        }
        SchoolsAsked asked = new SchoolsAsked(type, year, date, level, exam);
        // {TASK: [school, ...]}, one entry per task this instance read.
        ObjectNode out = Json.MAPPER.createObjectNode();
        query.schoolsIn(parents, asked, deadlines).forEach((task, schools) -> {
            ArrayNode list = out.putArray(String.valueOf(task));
            for (SchoolStatus s : schools) {
                list.addObject().put("schoolId", s.schoolId()).put("name", s.name()).put("reported", s.reported())
                        .put("onTime", s.onTime());
            }
        });
        ApiServer.json(ctx, HttpStatus.OK, out);
    }

    private static Stage stage(String label) {
        for (Stage stage : Stage.values()) {
            if (stage.label().equals(label)) {
                return stage;
            }
        }
        throw new ApiException(HttpStatus.BAD_REQUEST, "unknown stage '" + Quote.of(label) + "'");
    }

    private static void requireOk(HttpResponse<byte[]> answer, String other) {
        if (answer.statusCode() != 200) {
            // A list without another instance's schools would be wrong without saying so.
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the instance at " + other + " could not list its "
                    + "schools right now (" + answer.statusCode() + "); retry in a few seconds");
        }
    }
}

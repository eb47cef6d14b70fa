package io.schoolstats.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.auth.PeerGrant;
import io.schoolstats.auth.ReadAccess;
import io.schoolstats.auth.Revocations;
import io.schoolstats.auth.TokenKeys;
import io.schoolstats.auth.Tokens;
import io.schoolstats.http.ApiServer;
import io.schoolstats.http.SchoolDetailRoutes;
import io.schoolstats.query.StatsQuery;
import io.schoolstats.query.StoreSource;
import io.schoolstats.report.Json;
import io.schoolstats.report.ReportType;
import io.schoolstats.report.Received;
import io.schoolstats.stage.Stage;
import io.schoolstats.stage.Target;
import io.schoolstats.stats.Deadlines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The school lists on the real topology's stores, through the HTTP routes. A list is given whole
 * or not at all: while a rebalance moves a school task, the instance taking it over restores it
 * before it can be read, and the list must not be given without that task's schools (it would
 * look complete); the coverage tests give the stages two tasks, the driver's stores standing for
 * one and the other "being restored". A list asks about one exam or one level when told to.
 */
class SchoolListsOnStoresTest {
    private static final TokenKeys KEYS = TokenKeys.parse("k1:a-coverage-test-secret-of-at-least-32-bytes", "test");
    private final HttpClient http = HttpClient.newHttpClient();
    private Harness h;
    private ApiServer api;

    @BeforeEach
    void start() {
        h = new Harness();
        h.province("P1");
        h.district("D1", "P1");
        for (String school : new String[] {"S1", "S2", "S3"}) {
            h.school(school, "D1");
        }
        h.attendance("S1", "2025-10-06", 100, 90, 1);
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        h.close();
    }

    /** Stages of {@code tasks} tasks: task 0 reads the driver's stores, the tasks in {@code restoring} cannot be read. */
    private StoreSource tasks(int tasks, Set<Integer> restoring) {
        StoreSource driver = h.stores();
        return new StoreSource() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                return driver.store(name);
            }

            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> store(String name, int partition) {
                if (restoring.contains(partition)) {
                    throw new InvalidStateStoreException("task " + partition + " is being restored");
                }
                return driver.store(name, partition);
            }

            @Override
            public int partitions() {
                return tasks;
            }
        };
    }

    @Test
    void theQueryNamesTheTasksItRead() {
        StatsQuery query = new StatsQuery(tasks(2, Set.of(1)), h.clock);
        Deadlines deadlines = Deadlines.defaults(Received.DEFAULT_ZONE);
        var read = query.schoolsIn(Set.of(new Target(Stage.LOCAL, "D1")), new StatsQuery.SchoolsAsked(
                ReportType.ATTENDANCE, "2025-2026", LocalDate.parse("2025-10-06"), null, null), deadlines);
        assertThat(read).containsOnlyKeys(0);
        assertThat(read.get(0)).extracting(StatsQuery.SchoolStatus::schoolId).containsExactly("S1", "S2", "S3");
        assertThat(query.unitsByTask(Stage.LOCAL)).containsOnlyKeys(0);
    }

    @Test
    void aListWithATaskBeingRestoredIsRefusedWith503AndRetryAfter() throws Exception {
        HttpResponse<String> refused = missing(new StatsQuery(tasks(2, Set.of(1)), h.clock), "district/D1", "date=2025-10-06");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("5");
        assertThat(refused.body()).contains("partitions [1]", "retry in a few seconds");
        // A province's list needs the rows of its districts first: refused the same way.
        refused = missing(new StatsQuery(tasks(2, Set.of(1)), h.clock), "province/P1", "date=2025-10-06");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("districts and communes of partitions [1]");
    }

    @Test
    void aListOfEveryTaskIsGiven() throws Exception {
        HttpResponse<String> given = missing(new StatsQuery(tasks(1, Set.of()), h.clock), "province/P1", "date=2025-10-06");
        assertThat(given.statusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(given.body());
        assertThat(body.path("registeredSchools").asInt()).isEqualTo(3);
        assertThat(body.path("schools").findValuesAsText("schoolId")).containsExactly("S2", "S3");
    }

    @Test
    void aListAsksAboutOneExamOrOneLevel() throws Exception {
        school("L1", "LOWER_SECONDARY");
        school("U1", "UPPER_SECONDARY");
        school("U2", "UPPER_SECONDARY");
        h.report(ReportType.COMPLETION, "{\"schoolId\":\"S1\",\"schoolYear\":\"2024-2025\",\"level\":\"PRIMARY\","
                + "\"assessed\":30,\"completed\":29}");
        h.report(ReportType.COMPLETION, "{\"schoolId\":\"U1\",\"schoolYear\":\"2024-2025\",\"level\":\"UPPER_SECONDARY\","
                + "\"assessed\":30,\"completed\":29}");
        h.report(ReportType.EXAM, "{\"schoolId\":\"U1\",\"schoolYear\":\"2024-2025\",\"exam\":\"THPT_GRADUATION\","
                + "\"candidates\":40,\"passed\":39}");
        h.report(ReportType.EXAM, "{\"schoolId\":\"L1\",\"schoolYear\":\"2024-2025\",\"exam\":\"GRADE10_ENTRANCE\","
                + "\"candidates\":40,\"passed\":30}");
        StatsQuery query = new StatsQuery(tasks(1, Set.of()), h.clock);
        String exams = "type=exam&schoolYear=2024-2025";

        // Any exam: the schools with none at all.
        assertThat(schools(query, exams)).containsExactly("S1", "S2", "S3", "U2");
        // One exam: a school with another exam's report has not reported this one.
        JsonNode graduation = body(query, exams + "&exam=THPT_GRADUATION");
        assertThat(graduation.path("exam").asText()).isEqualTo("THPT_GRADUATION");
        assertThat(graduation.path("schools").findValuesAsText("schoolId")).containsExactly("L1", "S1", "S2", "S3", "U2");
        // One exam and the schools of the level that sits it: a primary school is not missing from the graduation exam.
        graduation = body(query, exams + "&exam=THPT_GRADUATION&level=UPPER_SECONDARY");
        assertThat(graduation.path("level").asText()).isEqualTo("UPPER_SECONDARY");
        assertThat(graduation.path("registeredSchools").asInt()).isEqualTo(2);
        assertThat(graduation.path("reportingSchools").asInt()).isEqualTo(1);
        assertThat(graduation.path("schools").findValuesAsText("schoolId")).containsExactly("U2");
        // Completion of a level: the level's schools, and only that level's report counts.
        String completion = "type=completion&schoolYear=2024-2025";
        assertThat(schools(query, completion + "&level=UPPER_SECONDARY")).containsExactly("U2");
        assertThat(schools(query, completion + "&level=PRIMARY")).containsExactly("S2", "S3");
        assertThat(schools(query, completion + "&level=LOWER_SECONDARY")).containsExactly("L1");
        assertThat(schools(query, completion)).containsExactly("L1", "S2", "S3", "U2");
        // Attendance of a level.
        assertThat(schools(query, "date=2025-10-06&level=UPPER_SECONDARY")).containsExactly("U1", "U2");

        assertThat(status(query, "date=2025-10-06&exam=THPT_GRADUATION")).isEqualTo(400);
        assertThat(status(query, exams + "&exam=thpt")).isEqualTo(400);
        assertThat(status(query, exams + "&exam=NOT_AN_EXAM")).isEqualTo(404);
        assertThat(status(query, completion + "&level=HIGH_SCHOOL")).isEqualTo(400);
    }

    private void school(String id, String level) {
        h.reference(io.schoolstats.contract.Topics.SCHOOLS, id, "{\"schoolId\":\"" + id + "\",\"name\":\"Trường " + id
                + "\",\"level\":\"" + level + "\",\"district\":\"D1\"}");
    }

    private List<String> schools(StatsQuery query, String parameters) throws Exception {
        return body(query, parameters).path("schools").findValuesAsText("schoolId");
    }

    private JsonNode body(StatsQuery query, String parameters) throws Exception {
        HttpResponse<String> answer = missing(query, "district/D1", parameters);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private int status(StatsQuery query, String parameters) throws Exception {
        return missing(query, "district/D1", parameters).statusCode();
    }

    private HttpResponse<String> missing(StatsQuery query, String unit, String parameters) throws Exception {
        if (api != null) {
            api.close();
        }
        Clock clock = Clock.systemUTC();
        Tokens tokens = new Tokens(KEYS, Revocations.NONE, clock);
        api = new ApiServer(query, null, () -> KafkaStreams.State.RUNNING, null);
        new SchoolDetailRoutes(query, null, new ReadAccess(tokens), new PeerGrant(KEYS, clock),
                Deadlines.defaults(Received.DEFAULT_ZONE)).register(api.javalin());
        api.start("127.0.0.1", 0);
        String operator = tokens.issueForOperator(Duration.ofMinutes(5)).token();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/v1/stats/" + unit
                        + "/missing?" + parameters)).header("Authorization", "Bearer " + operator).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

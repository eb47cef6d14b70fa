package io.schoolstats.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.dashboards.Dashboards.Dashboard;
import io.schoolstats.dashboards.Dashboards.Query;
import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import io.schoolstats.testing.Reports;
import io.schoolstats.testing.RunningService;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every query of every dashboard, in every language, run by a real Prometheus that scrapes the real
 * application: the application is fed sample reports, Prometheus (the {@code prometheus} binary)
 * scrapes it every second, the template variables take the values Grafana would select first, and
 * every variable query and every panel query must return at least one series. A query that returns
 * nothing is a broken panel. The league dashboard's queries must return the sample's own league.
 */
@ExtendWith(KafkaBroker.class)
class DashboardQueriesTest {
    private static final Duration HISTORY = Duration.ofSeconds(60);

    @TempDir
    static Path temp;

    private static RunningService app;
    private static RunningService second;
    private static PrometheusServer prometheus;
    private static SampleStats sample;

    @BeforeAll
    static void startTheApplicationAndPrometheus(Broker broker) throws Exception {
        Optional<Path> binary = PrometheusServer.binary();
        if (binary.isEmpty()) {
            System.err.println("""

                    ************************************************************************
                    * DashboardQueriesTest SKIPPED: Prometheus is not installed.           *
                    * Run .ci/run or apt-get install prometheus (or set PROMETHEUS_BIN).   *
                    ************************************************************************
                    """);
        }
        if (binary.isEmpty()) {
            return;   // each test is then reported as skipped, see skipWithoutPrometheus
        }
        sample = new SampleStats();
        // Two instances of one application, as a deployment that outgrew one machine runs it: every
        // query must hold over the series of both (each unit's from the instance that owns it).
        String application = "dash-queries-" + sample.prefix;
        app = new RunningService(broker.bootstrapServers(), application, Files.createDirectories(temp.resolve("state")),
                io.schoolstats.service.StatsService.Ingestion.disabled(), 1);
        second = new RunningService(broker.bootstrapServers(), application,
                Files.createDirectories(temp.resolve("state-2")), io.schoolstats.service.StatsService.Ingestion.disabled(), 1);
        sample.send(broker.bootstrapServers()).awaitVisible(app, second);
        List<String> targets = new ArrayList<>();
        for (RunningService instance : List.of(app, second)) {
            URI metrics = URI.create(instance.url("/metrics"));
            targets.add(metrics.getHost() + ":" + metrics.getPort());
        }
        prometheus = new PrometheusServer(binary.get(), targets, PrometheusRulesTest.ruleFiles(),
                Files.createDirectories(temp.resolve("prometheus")));
        await("Prometheus has scraped the sample statistics").atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> prometheus.seriesCount("schoolstats_cluster_rank{cluster=\"" + sample.cluster + "\"}") > 0
                        && prometheus.seriesCount("up{job=\"schoolstats\"} == 1") == 2);
        // The evaluators' scores only now: Prometheus has seen the report counters at 0, so the
        // league dashboard's count of scores read over its time range (an increase) counts them.
        sample.sendScores(broker.bootstrapServers()).awaitScored(app, second);
        SampleStats.LeagueLine first = SampleStats.LEAGUE.get(0);
        await("Prometheus has scraped the sample's league").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> prometheus.seriesCount("schoolstats_emulation_total_points{cluster=\"" + sample.cluster
                        + "\",name=\"" + first.name() + "\"} == " + first.total()) == 1);
    }

    @BeforeEach
    void skipWithoutPrometheus() {
        Assumptions.assumeTrue(prometheus != null,
                "Prometheus is not installed: run .ci/run or apt-get install prometheus");
    }

    @AfterAll
    static void stop() {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (second != null) {
                second.close();
            }
            if (app != null) {
                app.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.schoolstats.dashboards.Dashboards#LANGUAGES")
    void everyTemplateVariableQueryReturnsValues(String language) {
        List<String> failures = new ArrayList<>();
        for (Dashboard d : Dashboards.all(language)) {
            GrafanaVariables.Resolved resolved = GrafanaVariables.resolve(d, prometheus);
            failures.addAll(resolved.failures());
            System.out.println("[DashboardQueriesTest] " + d.file() + " variables: " + userVariables(resolved));
        }
        assertThat(failures).as("template variables without a value").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.schoolstats.dashboards.Dashboards#LANGUAGES")
    void everyPanelQueryReturnsAtLeastOneSeries(String language) {
        List<Check> checks = new ArrayList<>();
        for (Dashboard d : Dashboards.all(language)) {
            Map<String, String> values = GrafanaVariables.resolve(d, prometheus).values();
            for (Query q : d.queries()) {
                checks.add(new Check(q, Dashboards.substitute(q.expr(), values)));
            }
        }
        assertThat(checks).hasSizeGreaterThan(20);
        assertThat(brokenPanels(checks, HISTORY)).as("panel queries that return nothing (broken panels)").isEmpty();
    }

    /** Every level the unit dashboard offers (commune, province, district) shows data in every panel. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("io.schoolstats.dashboards.Dashboards#LANGUAGES")
    void theUnitDashboardShowsEveryLevelItOffers(String language) {
        Dashboard unit = dashboard(language, "unit.json");
        List<String> scopes = GrafanaVariables.resolve(unit, prometheus).options().get("scope");
        assertThat(scopes).containsExactly("commune", "province", "district");
        List<Check> checks = new ArrayList<>();
        for (String scope : scopes) {
            GrafanaVariables.Resolved resolved = resolveOurs(unit, Map.of("scope", scope));
            assertThat(resolved.failures()).as("variables with scope " + scope).isEmpty();
            System.out.println("[DashboardQueriesTest] " + unit.file() + " variables: " + userVariables(resolved));
            for (Query q : unit.queries()) {
                checks.add(new Check(q, Dashboards.substitute(q.expr(), resolved.values())));
            }
        }
        assertThat(brokenPanels(checks, HISTORY)).as("unit panels that return nothing for one of the levels").isEmpty();
    }

    /**
     * A school year is shown under its own units: the selectors offer the school year first, then
     * the units (and clusters) of that year only. The sample's past school year has one district.
     */
    @ParameterizedTest(name = "{0}")
    @FieldSource("io.schoolstats.dashboards.Dashboards#LANGUAGES")
    void eachSchoolYearOffersItsOwnUnits(String language) {
        Dashboard unit = dashboard(language, "unit.json");
        List<String> years = GrafanaVariables.resolve(unit, prometheus, Map.of("scope", "district")).options()
                .get("school_year");
        assertThat(years).as("school years, newest first").containsSubsequence(SampleStats.YEAR, SampleStats.PAST_YEAR);
        assertThat(ourUnits(unit, "district", SampleStats.YEAR))
                .containsExactly(sample.district1, sample.district2, sample.district3);
        assertThat(ourUnits(unit, "district", SampleStats.PAST_YEAR)).containsExactly(sample.district2);
        assertThat(ourUnits(unit, "commune", SampleStats.YEAR)).containsExactly(sample.commune);
        assertThat(ourUnits(unit, "province", SampleStats.PAST_YEAR)).containsExactly(sample.province1);

        Dashboard cluster = dashboard(language, "cluster.json");
        assertThat(GrafanaVariables.resolve(cluster, prometheus, Map.of("school_year", SampleStats.YEAR)).options()
                .get("cluster")).contains(sample.cluster);
        Dashboard overview = dashboard(language, "overview.json");
        assertThat(GrafanaVariables.resolve(overview, prometheus).options().get("school_year"))
                .containsSubsequence(SampleStats.YEAR, SampleStats.PAST_YEAR);
    }

    /**
     * The league dashboard, for the sample's cluster and school year, shows the league the sample
     * makes: each member's rank, total and points per criterion (no points where it is not scored
     * yet), the leader, the number of members, the totals, the points per criterion, and what became
     * of the evaluators' scores read. Values, not just series: a wrong query fails here.
     */
    @ParameterizedTest(name = "{0}")
    @FieldSource("io.schoolstats.dashboards.Dashboards#LANGUAGES")
    void theLeagueDashboardShowsTheSampleClustersLeague(String language, Broker broker) {
        Dashboard league = dashboard(language, "league.json");
        assertThat(GrafanaVariables.resolve(league, prometheus).options().get("school_year"))
                .as("school years with a league").contains(SampleStats.YEAR).doesNotContain(SampleStats.PAST_YEAR);
        GrafanaVariables.Resolved resolved = GrafanaVariables.resolve(league, prometheus,
                Map.of("school_year", SampleStats.YEAR, "cluster", sample.cluster));
        assertThat(resolved.failures()).isEmpty();
        Map<String, String> values = resolved.values();

        // The table (panel 4): rank and total under the criterion labels "|rank" and "|total" (no
        // criterion id holds a '|'), which the panel's transformations turn into its first columns.
        Map<String, Map<String, Double>> expected = new LinkedHashMap<>();
        Map<String, Double> totals = new LinkedHashMap<>();
        Map<String, Map<String, Double>> points = new LinkedHashMap<>();
        for (SampleStats.LeagueLine line : SampleStats.LEAGUE) {
            Map<String, Double> row = new LinkedHashMap<>(line.points());
            row.put("|rank", (double) line.rank());
            row.put("|total", line.total());
            expected.put(line.name(), row);
            totals.put(line.name(), line.total());
            points.put(line.name(), line.points());
        }
        assertThat(byLabels(run(league, 4, "A", values), "name", "criterion")).isEqualTo(expected);
        assertThat(panel(league, 4).path("transformations").findValuesAsText("field"))
                .as("the table is sorted by rank").containsExactly("|rank");

        SampleStats.LeagueLine first = SampleStats.LEAGUE.get(0);
        assertThat(byLabel(run(league, 1, "A", values), "name")).as("the leader")
                .isEqualTo(Map.of(first.name(), first.total()));
        assertThat(byLabel(run(league, 2, "A", values), "")).as("members").isEqualTo(Map.of("", 3.0));
        assertThat(byLabel(run(league, 5, "A", values), "name")).as("totals").isEqualTo(totals);
        assertThat(byLabels(run(league, 6, "A", values), "name", "criterion")).as("points per criterion")
                .isEqualTo(points);

        // Scores read over the time range, by outcome: an increase, extrapolated over the range by
        // Prometheus (a little above the count while the history is short), hence rounded.
        Map<String, String> outcomes = Map.of("A", "accepted", "B", "duplicate", "C", "stale", "D", "rejected");
        boolean shared = broker.kind().equals("external cluster");   // other runs' scores are read too
        await("scores read by outcome").atMost(HISTORY).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (Map.Entry<String, String> outcome : outcomes.entrySet()) {
                JsonNode result = run(league, 3, outcome.getKey(), values).path("result");
                assertThat(result).as(outcome.getValue()).hasSize(1);
                long read = Math.round(result.path(0).path("value").path(1).asDouble());
                long sent = SampleStats.SCORE_OUTCOMES.get(outcome.getValue());
                if (shared) {
                    assertThat(read).as(outcome.getValue()).isGreaterThanOrEqualTo(sent);
                } else {
                    assertThat(read).as(outcome.getValue()).isEqualTo(sent);
                }
            }
        });
    }

    private static JsonNode panel(Dashboard dashboard, int id) {
        return dashboard.panels().stream().filter(p -> p.path("id").asInt() == id).findFirst().orElseThrow();
    }

    /** The answer to one query of a panel, its variables replaced. */
    private static JsonNode run(Dashboard dashboard, int panel, String refId, Map<String, String> values) {
        for (JsonNode target : panel(dashboard, panel).path("targets")) {
            if (target.path("refId").asText().equals(refId)) {
                return prometheus.query(Dashboards.substitute(target.path("expr").asText(), values));
            }
        }
        throw new IllegalArgumentException(dashboard.file() + ": no query " + refId + " in panel " + panel);
    }

    /** The value of each series of an instant answer by one of its labels. */
    private static Map<String, Double> byLabel(JsonNode data, String label) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (JsonNode series : data.path("result")) {
            out.put(series.path("metric").path(label).asText(""), series.path("value").path(1).asDouble());
        }
        return out;
    }

    /** The value of each series of an instant answer by two of its labels, as rows and columns. */
    private static Map<String, Map<String, Double>> byLabels(JsonNode data, String row, String column) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (JsonNode series : data.path("result")) {
            out.computeIfAbsent(series.path("metric").path(row).asText(), r -> new LinkedHashMap<>())
                    .put(series.path("metric").path(column).asText(), series.path("value").path(1).asDouble());
        }
        return out;
    }

    private static Dashboard dashboard(String language, String file) {
        return Dashboards.all(language).stream().filter(d -> d.file().equals(language + "/" + file)).findFirst()
                .orElseThrow();
    }

    /** The sample's units a unit dashboard offers for a level and school year (the broker may hold other tests' too). */
    private static List<String> ourUnits(Dashboard unit, String scope, String schoolYear) {
        List<String> units = GrafanaVariables.resolve(unit, prometheus, Map.of("scope", scope, "school_year", schoolYear))
                .options().get("unit");
        return units.stream().filter(u -> u.startsWith(sample.prefix)).toList();
    }

    /** The variables with {@code chosen}, and the sample's own first unit (the broker may hold other tests' units). */
    private static GrafanaVariables.Resolved resolveOurs(Dashboard dashboard, Map<String, String> chosen) {
        List<String> units = GrafanaVariables.resolve(dashboard, prometheus, chosen).options().get("unit");
        Map<String, String> ours = new LinkedHashMap<>(chosen);
        units.stream().filter(u -> u.startsWith(sample.prefix)).findFirst().ifPresent(u -> ours.put("unit", u));
        return GrafanaVariables.resolve(dashboard, prometheus, ours);
    }

    /**
     * The recording rules of grafana/prometheus/rules, evaluated by this Prometheus every second
     * on the real series: each records at least one series (the day-long baselines, recomputed
     * every 10 minutes, are left to promtool's unit tests, PrometheusRulesTest).
     */
    @Test
    void everyRecordingRuleRecordsSeriesFromTheRealApplication(Broker broker) {
        // A report read while Prometheus watches, for the rules on rates (rejected: no figure moves).
        try (Reports kafka = new Reports(broker.bootstrapServers())) {
            kafka.send("reports.attendance", sample.prefix + "-S1", "not a report");
        }
        List<String> recorded = PrometheusRulesTest.recordedNamesEvaluatedEverySecond();
        assertThat(recorded).hasSizeGreaterThan(10);
        List<String> empty = new ArrayList<>();
        try {
            await().atMost(HISTORY).pollInterval(Duration.ofSeconds(1)).pollInSameThread().until(() -> {
                empty.clear();
                for (String name : recorded) {
                    if (prometheus.seriesCount(name) == 0) {
                        empty.add(name);
                    }
                }
                return empty.isEmpty();
            });
        } catch (ConditionTimeoutException e) {
            // what still records nothing is in the list
        }
        assertThat(empty).as("recording rules that record nothing (grafana/prometheus/rules); Prometheus log:%n%s",
                prometheus.log()).isEmpty();
    }

    @Test
    void aQueryThatReturnsNothingIsReportedWithItsDashboardAndPanel() {
        Dashboard d = Dashboards.all(Dashboards.LANGUAGES.get(0)).get(0);
        Query typo = new Query(d, "A misspelled panel", "A", "schoolstats_attendance_ratoi{scope=\"province\"}", null);
        Query badSyntax = new Query(d, "A bad query", "B", "sum(schoolstats_attendance_ratio", null);
        List<String> broken = brokenPanels(List.of(new Check(typo, typo.expr()), new Check(badSyntax, badSyntax.expr())),
                Duration.ofSeconds(2));
        assertThat(broken).hasSize(2);
        assertThat(broken.get(0)).contains(d.file(), "A misspelled panel", "schoolstats_attendance_ratoi", "no series");
        assertThat(broken.get(1)).contains("A bad query", "Prometheus");
    }

    /** A panel query with its variables replaced. */
    record Check(Query query, String promql) {
    }

    /**
     * The checks that still return no series after {@code patience} (a rate needs a few scrapes
     * of history), each naming dashboard, panel and query; errors (bad PromQL) end the wait.
     */
    private static List<String> brokenPanels(List<Check> checks, Duration patience) {
        List<String> broken = new ArrayList<>();
        try {
            await().atMost(patience).pollInterval(Duration.ofSeconds(1)).pollInSameThread().until(() -> {
                broken.clear();
                boolean onlyErrors = true;
                for (Check check : checks) {
                    try {
                        if (prometheus.seriesCount(check.promql()) == 0) {
                            broken.add(check.query() + "  ->  no series for " + check.promql());
                            onlyErrors = false;
                        }
                    } catch (RuntimeException e) {
                        broken.add(check.query() + "  ->  " + e.getMessage());
                    }
                }
                return broken.isEmpty() || onlyErrors;
            });
        } catch (ConditionTimeoutException e) {
            // what is still broken is in the list
        }
        return broken;
    }

    private static Map<String, String> userVariables(GrafanaVariables.Resolved resolved) {
        Map<String, String> out = new LinkedHashMap<>(resolved.values());
        out.keySet().removeIf(k -> k.startsWith("__"));
        return out;
    }
}

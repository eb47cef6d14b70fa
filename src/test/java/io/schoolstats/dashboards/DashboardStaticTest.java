package io.schoolstats.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.dashboards.Dashboards.Dashboard;
import io.schoolstats.dashboards.Dashboards.Query;
import io.schoolstats.report.Json;
import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import io.schoolstats.testing.PrometheusText;
import io.schoolstats.testing.RunningService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards of {@code grafana/dashboards} as files: valid JSON, unique panel ids, a
 * description on every panel, the provisioned datasource everywhere, no undefined variable,
 * rates as percentages, and (against the real application) no metric it does not export.
 */
@ExtendWith(KafkaBroker.class)
class DashboardStaticTest {
    private static final Map<String, String> EXPECTED = Map.of(
            "overview.json", "Overview",
            "unit.json", "District / province detail",
            "cluster.json", "Cluster league table",
            "pipeline.json", "Pipeline health");

    @Test
    void theFourDashboardsAreValidJsonWithFixedUids() throws Exception {
        List<String> files;
        try (Stream<Path> list = Files.list(Dashboards.DASHBOARDS)) {
            files = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        Set<String> uids = new HashSet<>();
        for (String file : files) {
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(Dashboards.DASHBOARDS.resolve(file).toFile());
            } catch (Exception e) {
                throw new AssertionError(file + " is not valid JSON: " + e.getMessage(), e);
            }
            assertThat(json.path("title").asText()).as(file + " title").isEqualTo(EXPECTED.get(file));
            String uid = json.path("uid").asText();
            assertThat(uid).as(file + " uid").matches("schoolstats-[a-z]+");
            assertThat(uids.add(uid)).as(file + " uid " + uid + " is unique").isTrue();
            assertThat(json.has("id")).as(file + " has no instance id (Grafana assigns it)").isFalse();
            assertThat(json.path("panels").size()).as(file + " panels").isGreaterThan(3);
        }
    }

    @Test
    void panelIdsAreUniqueRowsIncluded() {
        for (Dashboard d : Dashboards.all()) {
            Set<Integer> seen = new HashSet<>();
            for (JsonNode panel : d.panels()) {
                assertThat(panel.path("id").isInt()).as(d.file() + " panel \"" + panel.path("title").asText()
                        + "\" has an id").isTrue();
                assertThat(seen.add(panel.path("id").asInt())).as(d.file() + " panel id " + panel.path("id")
                        + " (\"" + panel.path("title").asText() + "\") is unique").isTrue();
            }
        }
    }

    @Test
    void everyPanelHasATitleAndADescription() {
        forEachPanel((d, panel) -> {
            assertThat(panel.path("title").asText()).as(d.file() + " panel " + panel.path("id") + " title").isNotBlank();
            assertThat(panel.path("description").asText()).as(d.file() + " panel \"" + panel.path("title").asText()
                    + "\" description").isNotBlank();
        });
    }

    @Test
    void everyDatasourceIsTheProvisionedPrometheus() {
        String uid = Dashboards.provisionedDatasourceUid();
        assertThat(uid).isEqualTo("schoolstats-prometheus");
        for (Dashboard d : Dashboards.all()) {
            for (JsonNode panel : d.panels()) {
                String where = d.file() + " panel \"" + panel.path("title").asText() + "\"";
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(panel.path("datasource").path("uid").asText()).as(where + " datasource").isEqualTo(uid);
                assertThat(panel.path("targets").size()).as(where + " has queries").isPositive();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("datasource").path("uid").asText()).as(where + " query "
                            + target.path("refId").asText() + " datasource").isEqualTo(uid);
                    assertThat(target.path("expr").asText()).as(where + " query " + target.path("refId").asText())
                            .isNotBlank();
                }
            }
            for (JsonNode variable : d.variables()) {
                if (variable.path("type").asText().equals("query")) {
                    assertThat(variable.path("datasource").path("uid").asText())
                            .as(d.file() + " variable $" + variable.path("name").asText() + " datasource").isEqualTo(uid);
                }
            }
            // Nothing else anywhere (annotations, links, ...) may name another datasource.
            List<String> others = new ArrayList<>();
            collectDatasources(d.json(), uid, others);
            assertThat(others).as(d.file() + ": datasources other than " + uid).isEmpty();
        }
    }

    private static void collectDatasources(JsonNode node, String uid, List<String> others) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("datasource")) {
                    JsonNode ds = e.getValue();
                    if (!ds.isObject() || !uid.equals(ds.path("uid").asText())) {
                        others.add(ds.toString());
                    }
                } else {
                    collectDatasources(e.getValue(), uid, others);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectDatasources(child, uid, others));
        }
    }

    @Test
    void everyVariableUsedIsDefinedBeforeUse() {
        for (Dashboard d : Dashboards.all()) {
            Set<String> defined = new HashSet<>(Dashboards.BUILT_INS);
            for (JsonNode variable : d.variables()) {
                String name = variable.path("name").asText();
                assertThat(Dashboards.referencedVariables(Dashboards.variableQuery(variable)))
                        .as(d.file() + " variable $" + name + " uses only variables defined before it")
                        .isSubsetOf(defined);
                defined.add(name);
            }
            List<String> texts = new ArrayList<>(List.of(d.title(), d.json().path("description").asText()));
            for (JsonNode panel : d.panels()) {
                texts.add(panel.path("title").asText());
                texts.add(panel.path("description").asText());
                panel.path("targets").forEach(t -> {
                    texts.add(t.path("expr").asText());
                    texts.add(t.path("legendFormat").asText());
                });
            }
            for (String text : texts) {
                assertThat(Dashboards.referencedVariables(text)).as(d.file() + ": variables of \"" + text + "\"")
                        .isSubsetOf(defined);
            }
        }
    }

    @Test
    void ratesArePercentagesWithColourThresholds() {
        forEachPanel((d, panel) -> {
            // A panel shows rates when its queries read ratios (a count of units is not a rate).
            Set<String> metrics = new LinkedHashSet<>();
            panel.path("targets").forEach(t -> {
                String expr = t.path("expr").asText();
                metrics.addAll(expr.startsWith("count(") ? Set.of("a_count") : PromQl.metricNames(expr));
            });
            String where = d.file() + " panel \"" + panel.path("title").asText() + "\"";
            boolean onlyRatios = !metrics.isEmpty() && metrics.stream().allMatch(m -> m.endsWith("_ratio"));
            boolean someRatios = metrics.stream().anyMatch(m -> m.endsWith("_ratio"));
            if (onlyRatios && !panel.path("type").asText().equals("table")) {
                JsonNode defaults = panel.path("fieldConfig").path("defaults");
                assertThat(defaults.path("unit").asText()).as(where + " unit").isEqualTo("percentunit");
                assertThat(defaults.path("thresholds").path("steps").size()).as(where + " colour thresholds")
                        .isGreaterThanOrEqualTo(3);
                assertThat(defaults.path("thresholds").path("steps").get(0).path("color").asText())
                        .as(where + " lowest colour").isEqualTo("red");
            } else if (someRatios && panel.path("type").asText().equals("table")) {
                assertThat(panel.path("fieldConfig").path("overrides").toString()).as(where + " rate columns")
                        .contains("percentunit");
            }
        });
    }

    @Test
    void provisioningLoadsTheDashboardsFolder() {
        assertThat(Dashboards.yamlValue(Dashboards.PROVIDER, "path")).isEqualTo("/var/lib/grafana/dashboards");
        assertThat(Dashboards.yamlValue(Dashboards.PROVIDER, "folder")).isEqualTo("schoolstats");
        assertThat(Dashboards.yamlValue(Dashboards.PROVIDER, "type")).isEqualTo("file");
        assertThat(Dashboards.yamlValue(Dashboards.DATASOURCE, "url")).isEqualTo("http://prometheus:9090");
        assertThat(Dashboards.yamlValue(Dashboards.DATASOURCE, "type")).isEqualTo("prometheus");
    }

    @Test
    void metricNamesAreFoundInPromQl() {
        assertThat(PromQl.metricNames("count(group by (scope, code) (a_b{cluster=\"$cluster\"})) or vector(0)"))
                .containsExactly("a_b");
        assertThat(PromQl.metricNames("sum by (type, outcome) (rate(c_total{outcome=\"x\"}[$__rate_interval]))"))
                .containsExactly("c_total");
        assertThat(PromQl.metricNames("(r / s) and on(scope, code) (t < $threshold)")).containsExactly("r", "s", "t");
        assertThat(PromQl.metricNames("x * on(code) group_left(cluster) (y{i=\"a,b\"} > 0) offset 5m"))
                .containsExactly("x", "y");
        assertThat(PromQl.metricNames("sum(m) by (l) / ignoring(l) group_right n")).containsExactly("m", "n");
        assertThat(PromQl.metricNames("{__name__=\"named\", a=\"b\"}")).containsExactly("named");
        assertThat(VariableQuery.parse("label_values(u{scope=\"$scope\"}, code)").metricNames()).containsExactly("u");
        assertThat(VariableQuery.parse("label_values(u{scope=\"$scope\"}, code)").label()).isEqualTo("code");
        assertThat(VariableQuery.parse("query_result(max by (a) (v))").metricNames()).containsExactly("v");
        assertThat(VariableQuery.parse("label_values(code)").metricNames()).isEmpty();
    }

    @Test
    void aMisspelledMetricIsReported() {
        Set<String> exported = Set.of("schoolstats_attendance_ratio", "schoolstats_registered_schools");
        Dashboard d = Dashboards.all().get(0);
        Query typo = new Query(d, "typo", "A", "schoolstats_attendance_ratoi{scope=\"province\"}", null);
        assertThat(unknownMetrics(List.of(typo), List.of(), exported))
                .singleElement().asString().contains("schoolstats_attendance_ratoi").contains("typo");
        assertThatCode(() -> VariableQuery.parse("label_valuez(x, y)")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Every metric name a dashboard reads must be one the application exports (the real /metrics). */
    @Test
    void everyMetricNameInEveryQueryIsExportedByTheApplication(Broker broker, @TempDir Path state) {
        SampleStats sample = new SampleStats();
        try (RunningService app = new RunningService(broker.bootstrapServers(), "dash-static-" + sample.prefix, state)) {
            sample.send(broker.bootstrapServers()).awaitVisible(app);
            // The JVM's GC timers exist from the first collection on: have one (the app runs in this
            // JVM), and wait for the page rendered after it.
            System.gc();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    !app.metrics().find("jvm_gc_pause_seconds_sum").isEmpty());
            Set<String> exported = new TreeSet<>();
            for (PrometheusText.Sample s : app.metrics().samples()) {
                exported.add(s.name());
            }
            List<Query> queries = new ArrayList<>();
            List<String[]> variableQueries = new ArrayList<>();
            for (Dashboard d : Dashboards.all()) {
                queries.addAll(d.queries());
                for (JsonNode v : d.variables()) {
                    if (v.path("type").asText().equals("query")) {
                        variableQueries.add(new String[] {d.file() + " / variable $" + v.path("name").asText(),
                                Dashboards.variableQuery(v)});
                    }
                }
            }
            assertThat(queries).hasSizeGreaterThan(20);
            assertThat(unknownMetrics(queries, variableQueries, exported))
                    .as("metrics the dashboards read but /metrics does not export").isEmpty();
        }
    }

    static List<String> unknownMetrics(List<Query> queries, List<String[]> variableQueries, Set<String> exported) {
        List<String> unknown = new ArrayList<>();
        for (Query q : queries) {
            for (String name : PromQl.metricNames(q.expr())) {
                if (!exported.contains(name)) {
                    unknown.add(name + " in " + q);
                }
            }
        }
        for (String[] v : variableQueries) {
            for (String name : VariableQuery.parse(v[1]).metricNames()) {
                if (!exported.contains(name)) {
                    unknown.add(name + " in " + v[0] + ": " + v[1]);
                }
            }
        }
        return unknown;
    }

    private static void forEachPanel(BiConsumer<Dashboard, JsonNode> check) {
        for (Dashboard d : Dashboards.all()) {
            d.panels().forEach(panel -> check.accept(d, panel));
        }
    }
}

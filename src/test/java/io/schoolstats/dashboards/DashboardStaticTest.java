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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The dashboards of {@code grafana/dashboards/<language>} as files, in every language: valid JSON,
 * unique panel ids, a description on every panel, the provisioned datasource everywhere, no
 * undefined variable, rates as percentages, and (against the real application) no metric it does
 * not export. That the languages agree is {@link DashboardSourcesTest}'s.
 */
@ExtendWith(KafkaBroker.class)
class DashboardStaticTest {
    private static final Map<String, Map<String, String>> TITLES = Map.of(
            "vi", Map.of(
                    "overview.json", "Tổng quan",
                    "unit.json", "Chi tiết xã/phường, quận/huyện, tỉnh/thành phố",
                    "cluster.json", "Bảng xếp hạng cụm thi đua",
                    "league.json", "Bảng xếp hạng thi đua",
                    "pipeline.json", "Tình trạng hệ thống xử lý"),
            "en", Map.of(
                    "overview.json", "Overview",
                    "unit.json", "Commune / district / province detail",
                    "cluster.json", "Cluster league table",
                    "league.json", "Emulation league",
                    "pipeline.json", "Pipeline health"));
    /** What the uids of a language end with: the Vietnamese set keeps the uids of before, so that bookmarks still work. */
    private static final Map<String, String> UID_SUFFIX = Map.of("vi", "", "en", "-en");

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.schoolstats.dashboards.Dashboards#LANGUAGES")
    void theDashboardsAreValidJsonWithFixedUids(String language) throws Exception {
        assertThat(Dashboards.LANGUAGES).containsExactlyInAnyOrderElementsOf(TITLES.keySet());
        Map<String, String> expected = TITLES.get(language);
        List<String> files;
        try (Stream<Path> list = Files.list(Dashboards.DASHBOARDS.resolve(language))) {
            files = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(expected.keySet());
        Set<String> uids = new HashSet<>();
        for (String file : files) {
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(Dashboards.DASHBOARDS.resolve(language).resolve(file).toFile());
            } catch (Exception e) {
                throw new AssertionError(language + "/" + file + " is not valid JSON: " + e.getMessage(), e);
            }
            String where = language + "/" + file;
            assertThat(json.path("title").asText()).as(where + " title").isEqualTo(expected.get(file));
            String uid = json.path("uid").asText();
            assertThat(uid).as(where + " uid").isEqualTo("schoolstats-" + file.replace(".json", "")
                    + UID_SUFFIX.get(language));
            assertThat(uids.add(uid)).as(where + " uid " + uid + " is unique").isTrue();
            assertThat(json.has("id")).as(where + " has no instance id (Grafana assigns it)").isFalse();
            assertThat(json.path("panels").size()).as(where + " panels").isGreaterThan(3);
        }
    }

    /** A dashboard link lists the dashboards with all its tags: those of its own language only. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("io.schoolstats.dashboards.Dashboards#LANGUAGES")
    void linksStayWithinTheirLanguage(String language) {
        Map<String, Set<String>> tagsByLanguage = new java.util.HashMap<>();
        for (String l : Dashboards.LANGUAGES) {
            for (Dashboard d : Dashboards.all(l)) {
                Set<String> tags = new TreeSet<>();
                d.json().path("tags").forEach(t -> tags.add(t.asText()));
                assertThat(tags).as(d.file() + " tags").contains("schoolstats").hasSize(2);
                Set<String> first = tagsByLanguage.putIfAbsent(l, tags);
                assertThat(first == null ? tags : first).as(d.file() + " has the tags of its language").isEqualTo(tags);
            }
        }
        assertThat(new HashSet<>(tagsByLanguage.values())).as("each language its own tags").hasSize(Dashboards.LANGUAGES.size());
        for (Dashboard d : Dashboards.all(language)) {
            assertThat(d.json().path("links").size()).as(d.file() + " links").isPositive();
            for (JsonNode link : d.json().path("links")) {
                Set<String> tags = new TreeSet<>();
                link.path("tags").forEach(t -> tags.add(t.asText()));
                assertThat(link.path("type").asText()).as(d.file() + " link type").isEqualTo("dashboards");
                assertThat(tags).as(d.file() + " link \"" + link.path("title").asText() + "\" lists the dashboards of "
                        + language + " only").isEqualTo(tagsByLanguage.get(language));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.schoolstats.dashboards.Dashboards#LANGUAGES")
    void panelIdsAreUniqueRowsIncluded(String language) {
        for (Dashboard d : Dashboards.all(language)) {
            Set<Integer> seen = new HashSet<>();
            for (JsonNode panel : d.panels()) {
                assertThat(panel.path("id").isInt()).as(d.file() + " panel \"" + panel.path("title").asText()
                        + "\" has an id").isTrue();
                assertThat(seen.add(panel.path("id").asInt())).as(d.file() + " panel id " + panel.path("id")
                        + " (\"" + panel.path("title").asText() + "\") is unique").isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.schoolstats.dashboards.Dashboards#LANGUAGES")
    void everyPanelHasATitleAndADescription(String language) {
        forEachPanel(language, (d, panel) -> {
            assertThat(panel.path("title").asText()).as(d.file() + " panel " + panel.path("id") + " title").isNotBlank();
            assertThat(panel.path("description").asText()).as(d.file() + " panel \"" + panel.path("title").asText()
                    + "\" description").isNotBlank();
        });
    }

    /** Prometheus everywhere, but for the list of schools that have not reported, which the API gives. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("io.schoolstats.dashboards.Dashboards#LANGUAGES")
    void everyDatasourceIsAProvisionedOne(String language) {
        String uid = Dashboards.provisionedDatasourceUid();
        assertThat(uid).isEqualTo("schoolstats-prometheus");
        String api = Dashboards.provisionedDatasource(Dashboards.API_DATASOURCE).path("uid").asText();
        assertThat(api).isEqualTo("schoolstats-api");
        for (Dashboard d : Dashboards.all(language)) {
            for (JsonNode panel : d.panels()) {
                String where = d.file() + " panel \"" + panel.path("title").asText() + "\"";
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                String panelUid = panel.path("datasource").path("uid").asText();
                assertThat(panelUid).as(where + " datasource").isIn(uid, api);
                assertThat(panel.path("targets").size()).as(where + " has queries").isPositive();
                for (JsonNode target : panel.path("targets")) {
                    String query = where + " query " + target.path("refId").asText();
                    assertThat(target.path("datasource").path("uid").asText()).as(query + " datasource").isEqualTo(panelUid);
                    if (panelUid.equals(uid)) {
                        assertThat(target.path("datasource").path("type").asText()).as(query).isEqualTo("prometheus");
                        assertThat(target.path("expr").asText()).as(query).isNotBlank();
                    } else {
                        assertThat(target.path("datasource").path("type").asText()).as(query)
                                .isEqualTo(Dashboards.API_DATASOURCE_TYPE);
                        assertThat(target.path("url").asText()).as(query).startsWith("/api/v1/");
                    }
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
            collectDatasources(d.json(), Set.of(uid, api), others);
            assertThat(others).as(d.file() + ": datasources other than " + uid + " and " + api).isEmpty();
        }
    }

    /**
     * The unit dashboard lists the schools that have not reported today from the API's documented
     * endpoint, {@code GET /api/v1/stats/{scope}/{code}/missing?type=attendance}, for the unit chosen
     * in its variables; the datasource sends the token of SCHOOLSTATS_GRAFANA_TOKEN to the API only.
     * (The endpoint itself is the API's to test: this panel has not run against it.)
     */
    @ParameterizedTest(name = "{0}")
    @FieldSource("io.schoolstats.dashboards.Dashboards#LANGUAGES")
    void theMissingSchoolsPanelReadsTheDocumentedEndpoint(String language) {
        List<String> apiPanels = new ArrayList<>();
        for (Dashboard d : Dashboards.all(language)) {
            for (JsonNode panel : d.panels()) {
                if (panel.path("datasource").path("uid").asText().equals("schoolstats-api")) {
                    apiPanels.add(d.file() + " " + panel.path("id"));
                }
            }
        }
        assertThat(apiPanels).as("panels reading the API").containsExactly(language + "/unit.json 14");

        Dashboard unit = Dashboards.all(language).stream().filter(d -> Dashboards.name(d).equals("unit.json"))
                .findFirst().orElseThrow();
        JsonNode panel = unit.panels().stream().filter(p -> p.path("id").asInt() == 14).findFirst().orElseThrow();
        assertThat(panel.path("type").asText()).isEqualTo("table");
        assertThat(panel.path("title").asText()).isEqualTo(language.equals("vi")
                ? "Trường chưa báo cáo hôm nay" : "Schools that have not reported today");
        assertThat(panel.path("targets")).hasSize(1);
        JsonNode target = panel.path("targets").get(0);
        assertThat(target.path("type").asText()).isEqualTo("json");
        assertThat(target.path("source").asText()).isEqualTo("url");
        assertThat(target.path("parser").asText()).isEqualTo("backend");
        assertThat(target.path("url_options").path("method").asText()).isEqualTo("GET");
        // The documented path, with the dashboard's own unit: $scope is the scope label, $unit its code.
        assertThat(target.path("url").asText()).isEqualTo("/api/v1/stats/${scope}/${unit}/missing?type=attendance");
        assertThat(unit.variableNames()).contains("scope", "unit");
        JsonNode scope = unit.variables().stream().filter(v -> v.path("name").asText().equals("scope")).findFirst()
                .orElseThrow();
        assertThat(Dashboards.customValues(Dashboards.variableQuery(scope)))
                .isSubsetOf("district", "commune", "province", "cluster");
        // {"schools":[{"schoolId","name"}, ...]}
        assertThat(target.path("root_selector").asText()).isEqualTo("schools");
        assertThat(target.path("columns").findValuesAsText("selector")).containsExactly("name", "schoolId");

        JsonNode api = Dashboards.provisionedDatasource(Dashboards.API_DATASOURCE);
        assertThat(api.path("type").asText()).isEqualTo(Dashboards.API_DATASOURCE_TYPE);
        assertThat(api.path("url").asText()).isEqualTo("http://schoolstats:8080");
        assertThat(api.path("jsonData").path("auth_method").asText()).isEqualTo("bearerToken");
        assertThat(api.path("jsonData").path("allowedHosts").toString()).isEqualTo("[\"http://schoolstats:8080\"]");
        // Grafana reads the token from its environment when it provisions the datasource.
        assertThat(api.path("secureJsonData").path("bearerToken").asText()).isEqualTo("$SCHOOLSTATS_GRAFANA_TOKEN");
    }

    private static void collectDatasources(JsonNode node, Set<String> uids, List<String> others) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("datasource")) {
                    JsonNode ds = e.getValue();
                    if (!ds.isObject() || !uids.contains(ds.path("uid").asText())) {
                        others.add(ds.toString());
                    }
                } else {
                    collectDatasources(e.getValue(), uids, others);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectDatasources(child, uids, others));
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.schoolstats.dashboards.Dashboards#LANGUAGES")
    void everyVariableUsedIsDefinedBeforeUse(String language) {
        for (Dashboard d : Dashboards.all(language)) {
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
                    texts.add(t.path("url").asText());
                });
            }
            for (String text : texts) {
                assertThat(Dashboards.referencedVariables(text)).as(d.file() + ": variables of \"" + text + "\"")
                        .isSubsetOf(defined);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.schoolstats.dashboards.Dashboards#LANGUAGES")
    void ratesArePercentagesWithColourThresholds(String language) {
        forEachPanel(language, (d, panel) -> {
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

    /** Vietnamese in the folder "schoolstats", as before; English beside it. */
    @Test
    void provisioningLoadsOneFolderPerLanguage() {
        assertThat(Dashboards.providers()).containsExactly(
                new Dashboards.Provider("schoolstats", "schoolstats", "file", "/var/lib/grafana/dashboards/vi"),
                new Dashboards.Provider("schoolstats-en", "schoolstats (English)", "file", "/var/lib/grafana/dashboards/en"));
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
        Dashboard d = Dashboards.all(Dashboards.LANGUAGES.get(0)).get(0);
        Query typo = new Query(d, "typo", "A", "schoolstats_attendance_ratoi{scope=\"province\"}", null);
        assertThat(unknownMetrics(List.of(typo), List.of(), exported))
                .singleElement().asString().contains("schoolstats_attendance_ratoi").contains("typo");
        assertThatCode(() -> VariableQuery.parse("label_valuez(x, y)")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Every metric name a dashboard of any language reads must be one the application exports (the real /metrics). */
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
            for (Dashboard d : Dashboards.LANGUAGES.stream().flatMap(l -> Dashboards.all(l).stream()).toList()) {
                queries.addAll(d.queries());
                for (JsonNode v : d.variables()) {
                    if (v.path("type").asText().equals("query")) {
                        variableQueries.add(new String[] {d.file() + " / variable $" + v.path("name").asText(),
                                Dashboards.variableQuery(v)});
                    }
                }
            }
            assertThat(queries).hasSizeGreaterThan(20 * Dashboards.LANGUAGES.size());
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

    private static void forEachPanel(String language, BiConsumer<Dashboard, JsonNode> check) {
        for (Dashboard d : Dashboards.all(language)) {
            d.panels().forEach(panel -> check.accept(d, panel));
        }
    }
}

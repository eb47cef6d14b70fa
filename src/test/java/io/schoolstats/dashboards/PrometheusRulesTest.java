package io.schoolstats.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import io.schoolstats.testing.PrometheusText;
import io.schoolstats.testing.RunningService;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus rules of {@code grafana/prometheus/rules}: valid for promtool, their unit tests
 * ({@code src/test/resources/prometheus/*.test.yml}, input series and the alerts expected, or
 * expected not to fire) pass under {@code promtool test rules}, every alert is written for its
 * audience, and every metric a rule reads is one the real application exports.
 *
 * <p>Without promtool (Debian's {@code prometheus} package ships it) the promtool tests fail on CI
 * (environment variable {@code CI} set, as {@code .ci/run} and CI services do) and are skipped,
 * loudly, elsewhere.
 */
@ExtendWith(KafkaBroker.class)
class PrometheusRulesTest {
    static final Path RULES = Path.of("grafana/prometheus/rules");
    static final Path UNIT_TESTS = Path.of("src/test/resources/prometheus");
    /** Series that Prometheus makes itself, for every target. */
    static final Set<String> FROM_PROMETHEUS = Set.of("up");
    /** The annotations of every alert, in this order: Vietnamese first. */
    static final List<String> ANNOTATIONS = List.of("summary", "description", "summary_en", "description_en");
    /** level:metric:operations (prometheus.io/docs/practices/rules). */
    static final Pattern RECORDED_NAME = Pattern.compile("[a-z]+(_[a-z]+)*:[a-z][a-z0-9_]*:[a-z][a-z0-9_]*");
    /** Letters only Vietnamese uses among the Latin ones (đ, ơ, ư, ă and the tone marks of U+1EA0-U+1EF9). */
    static final Pattern VIETNAMESE = Pattern.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1EA0-\u1EF9]");

    @Test
    void promtoolFindsTheRulesValid() throws Exception {
        List<String> command = new ArrayList<>(List.of(promtool().toString(), "check", "rules"));
        ruleFiles().forEach(f -> command.add(f.toString()));
        ComposeFileTest.Result r = ComposeFileTest.run(command, 60);
        assertThat(r.exit()).as("promtool check rules:%n%s", r.output()).isZero();
    }

    @Test
    void theRulesUnitTestsPass() throws Exception {
        List<Path> tests = unitTestFiles();
        assertThat(tests).hasSizeGreaterThanOrEqualTo(3);
        List<String> command = new ArrayList<>(List.of(promtool().toString(), "test", "rules"));
        tests.forEach(f -> command.add(f.toString()));
        ComposeFileTest.Result r = ComposeFileTest.run(command, 300);
        assertThat(r.exit()).as("promtool test rules:%n%s", r.output()).isZero();
    }

    @Test
    void everyAlertWaitsHasASeverityAnAudienceAndItsTextInVietnameseThenEnglish() {
        List<JsonNode> alerts = rules("alert");
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(8);
        for (JsonNode alert : alerts) {
            String name = alert.path("alert").asText();
            assertThat(name).as("alert name").matches("Schoolstats[A-Z][A-Za-z]+");
            assertThat(alert.path("for").asText()).as(name + " for:").matches("[1-9][0-9]*[smh]");
            JsonNode labels = alert.path("labels");
            assertThat(labels.path("severity").asText()).as(name + " severity").isIn("warning", "critical");
            assertThat(labels.path("audience").asText()).as(name + " audience").isIn("office", "operator");
            List<String> keys = new ArrayList<>();
            alert.path("annotations").fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as(name + " annotations").containsExactlyElementsOf(ANNOTATIONS);
            for (String key : ANNOTATIONS) {
                String text = alert.path("annotations").path(key).asText();
                assertThat(text).as(name + " " + key).isNotBlank();
                if (key.endsWith("_en")) {
                    assertThat(text).as(name + " " + key + " is English").matches("\\p{ASCII}*");
                } else {
                    assertThat(VIETNAMESE.matcher(text).find()).as(name + " " + key + " is Vietnamese: " + text).isTrue();
                }
            }
        }
        assertThat(alerts.stream().map(a -> a.path("labels").path("audience").asText()).toList())
                .contains("office", "operator");
    }

    @Test
    void everyAlertHasAUnitTestWhereItFiresAndOneWhereItMustNot() {
        Set<String> fires = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (Path file : unitTestFiles()) {
            for (JsonNode group : yaml(file).path("tests")) {
                for (JsonNode test : group.path("alert_rule_test")) {
                    String name = test.path("alertname").asText();
                    (test.path("exp_alerts").isEmpty() ? silent : fires).add(name);
                }
            }
        }
        for (JsonNode alert : rules("alert")) {
            String name = alert.path("alert").asText();
            assertThat(fires).as("alerts with a unit test where they fire").contains(name);
            assertThat(silent).as("alerts with a unit test where they must not fire").contains(name);
        }
    }

    @Test
    void recordedSeriesAreNamedLevelMetricOperationsAndEveryOneReadIsRecorded() {
        Set<String> recorded = recordedNames();
        assertThat(recorded).hasSizeGreaterThanOrEqualTo(10);
        for (String name : recorded) {
            assertThat(name).as("recorded series").matches(RECORDED_NAME);
        }
        for (Map.Entry<String, Set<String>> read : metricsReadByRules().entrySet()) {
            if (read.getKey().contains(":")) {
                assertThat(recorded).as("recorded series read by " + read.getValue()).contains(read.getKey());
            }
        }
    }

    @Test
    void prometheusOfTheComposeStackLoadsEveryRuleFile() {
        JsonNode config = yaml(Path.of("grafana/prometheus/prometheus.yml"));
        assertThat(config.path("rule_files").toString()).isEqualTo("[\"rules/*.yml\"]");
        assertThat(ruleFiles().stream().map(p -> p.getFileName().toString()).toList())
                .containsExactly("alerts.yml", "recording.yml");
    }

    /** Every metric a rule reads: the application's (a real /metrics), recorded ones, or Prometheus's own. */
    @Test
    void everyMetricARuleReadsIsExportedByTheApplication(Broker broker, @TempDir Path state) {
        Map<String, Set<String>> read = metricsReadByRules();
        read.keySet().removeAll(recordedNames());
        read.keySet().removeAll(FROM_PROMETHEUS);
        assertThat(read).containsKeys("schoolstats_attendance_reporting_schools", "schoolstats_reports_total",
                "kafka_stream_client_state");
        SampleStats sample = new SampleStats();
        try (RunningService app = new RunningService(broker.bootstrapServers(), "rules-" + sample.prefix, state)) {
            sample.send(broker.bootstrapServers()).awaitVisible(app);
            Set<String> exported = new TreeSet<>();
            for (PrometheusText.Sample s : app.metrics().samples()) {
                exported.add(s.name());
            }
            Map<String, Set<String>> unknown = new TreeMap<>(read);
            unknown.keySet().removeAll(exported);
            assertThat(unknown).as("metrics the rules read (and the rules reading them) that /metrics does not export")
                    .isEmpty();
            // The stream is RUNNING: the alerts read kafka_stream_client_state as KafkaStreams.State's ordinal.
            // Awaited: the meters are rendered at most once a second, and a probing rebalance may
            // follow the first one (the state is then 1, REBALANCING, for a moment).
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(app.metrics().find("kafka_stream_client_state")).isNotEmpty()
                            .allSatisfy(s -> assertThat(s.value()).isEqualTo(2.0)));
        }
    }

    /** Metric name to the rules (alert or recorded name) whose expression reads it. */
    static Map<String, Set<String>> metricsReadByRules() {
        Map<String, Set<String>> read = new TreeMap<>();
        for (String kind : List.of("record", "alert")) {
            for (JsonNode rule : rules(kind)) {
                for (String name : PromQl.metricNames(rule.path("expr").asText())) {
                    read.computeIfAbsent(name, k -> new TreeSet<>()).add(rule.path(kind).asText());
                }
            }
        }
        return read;
    }

    static Set<String> recordedNames() {
        Set<String> names = new TreeSet<>();
        rules("record").forEach(r -> names.add(r.path("record").asText()));
        return names;
    }

    /** Series recorded by the groups without an interval of their own (evaluated at Prometheus's). */
    static List<String> recordedNamesEvaluatedEverySecond() {
        List<String> names = new ArrayList<>();
        for (Path file : ruleFiles()) {
            for (JsonNode group : yaml(file).path("groups")) {
                if (group.has("interval")) {
                    continue;
                }
                group.path("rules").forEach(r -> {
                    if (r.has("record")) {
                        names.add(r.path("record").asText());
                    }
                });
            }
        }
        return names;
    }

    /** The rules of every rule file that have {@code kind} ({@code record} or {@code alert}). */
    static List<JsonNode> rules(String kind) {
        List<JsonNode> out = new ArrayList<>();
        for (Path file : ruleFiles()) {
            for (JsonNode group : yaml(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has(kind)) {
                        out.add(rule);
                    }
                }
            }
        }
        return out;
    }

    static List<Path> ruleFiles() {
        return list(RULES, ".yml");
    }

    static List<Path> unitTestFiles() {
        return list(UNIT_TESTS, ".test.yml");
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode yaml(Path file) {
        try {
            return new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** promtool, or a failure on CI, or a loud skip elsewhere. */
    private static Path promtool() {
        Optional<Path> found = promtoolBinary();
        if (found.isPresent()) {
            return found.get();
        }
        String install = "install Debian's prometheus package (apt-get install prometheus; .ci/run does) or set PROMTOOL_BIN";
        if (onCi()) {
            throw new AssertionError("promtool is not installed, and CI must run the rules' unit tests: " + install);
        }
        System.err.println("""

                ************************************************************************
                * PrometheusRulesTest: promtool is not installed: the Prometheus rules *
                * were NOT checked nor unit-tested. Run .ci/run or apt-get install     *
                * prometheus (or set PROMTOOL_BIN). On CI (CI set) this fails.         *
                ************************************************************************
                """);
        return Assumptions.abort("promtool is not installed: " + install);
    }

    /** {@code $PROMTOOL_BIN}, else {@code promtool} on the PATH, else the usual places. */
    static Optional<Path> promtoolBinary() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("PROMTOOL_BIN");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, "promtool"));
            }
        }
        candidates.add(Path.of("/usr/bin/promtool"));
        candidates.add(Path.of("/usr/local/bin/promtool"));
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    static boolean onCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    }
}

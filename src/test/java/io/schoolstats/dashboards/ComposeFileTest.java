package io.schoolstats.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml}: valid against the compose specification (dclint, else Debian's
 * docker-compose), and the stack the README promises: Kafka from {@code apache/kafka}, the
 * application on 8080, Prometheus on 9090 scraping it, Grafana on 3000 with the provisioning
 * and dashboards of {@code grafana/} mounted where the provisioning files expect them, and the
 * Infinity plugin with the API's token for the list of schools that have not reported.
 */
class ComposeFileTest {
    static final Path COMPOSE = Path.of("docker-compose.yml");
    /** dclint, installed by .ci/run (or by this test) into a git-ignored folder. */
    static final String DCLINT_VERSION = "3.1.0";
    static final Path DCLINT_HOME = Path.of("target", "dclint");
    static final Path DCLINT = DCLINT_HOME.resolve("node_modules/.bin/dclint");
    /** Style rules we do not follow: services and keys are in start-up order, not alphabetical. */
    static final List<String> DISABLED_RULES = List.of("service-keys-order", "services-alphabetical-order",
            "service-dependencies-alphabetical-order", "require-project-name-field");

    private static JsonNode compose;

    @BeforeAll
    static void read() throws IOException {
        compose = new YAMLMapper().readTree(COMPOSE.toFile());
    }

    @Test
    void isValidAgainstTheComposeSpecification() throws Exception {
        Optional<Path> dclint = dclint();
        if (dclint.isPresent()) {
            List<String> command = new ArrayList<>(List.of(dclint.get().toString(), COMPOSE.toString(),
                    "--color=false", "--max-warnings", "0", "--disable-rule"));
            command.addAll(DISABLED_RULES);
            Result r = run(command, 120);
            assertThat(r.exit()).as("dclint %s on docker-compose.yml:%n%s", DCLINT_VERSION, r.output()).isZero();
            return;
        }
        Optional<Path> dockerCompose = onPath("docker-compose");
        if (dockerCompose.isPresent()) {
            Result r = run(List.of(dockerCompose.get().toString(), "-f", COMPOSE.toString(), "config", "-q"), 60);
            assertThat(r.exit()).as("docker-compose config -q:%n%s", r.output()).isZero();
            return;
        }
        System.err.println("""

                ************************************************************************
                * ComposeFileTest: NO compose validator (needs npm for dclint, or      *
                * docker-compose): docker-compose.yml was NOT validated. Run .ci/run.  *
                ************************************************************************
                """);
        Assumptions.abort("no compose validator: install npm (for dclint " + DCLINT_VERSION
                + ", see .ci/run) or docker-compose");
    }

    @Test
    void kafkaIsTheOfficialImageInKraftModeForOneNode() {
        JsonNode kafka = service("kafka");
        assertThat(kafka.path("image").asText()).startsWith("apache/kafka:");
        JsonNode env = kafka.path("environment");
        assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        for (String one : List.of("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
                "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")) {
            assertThat(env.path(one).asText()).as(one).isEqualTo("1");
        }
        assertThat(env.path("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS").asText()).isEqualTo("0");
        assertThat(env.path("KAFKA_ADVERTISED_LISTENERS").asText()).contains("://kafka:9092");
        assertThat(kafka.path("healthcheck").path("test").toString()).contains("/opt/kafka/bin/kafka-broker-api-versions.sh");
    }

    @Test
    void theApplicationServesOn8080OnceKafkaIsHealthyAndTheJarIsBuilt() {
        JsonNode app = service("schoolstats");
        String command = app.path("command").toString();
        assertThat(command).contains("\"/app/schoolstats.jar\"", "\"serve\"", "\"--bootstrap-servers\"",
                "\"kafka:9092\"", "\"--state-dir\"");
        assertThat(containerPorts(app)).contains("8080");
        assertThat(app.path("healthcheck").path("test").toString()).contains("/health/ready");
        assertThat(app.path("depends_on").path("kafka").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(app.path("depends_on").path("schoolstats-build").path("condition").asText())
                .isEqualTo("service_completed_successfully");
        assertThat(service("schoolstats-build").path("command").toString()).contains("mvn", "package",
                "mv -f schoolstats.jar.new schoolstats.jar");
        assertThat(mounts(service("schoolstats-build"))).contains("app:/build");
        assertThat(mounts(app)).contains("app:/app");

        JsonNode simulator = service("simulator");
        assertThat(simulator.path("profiles").toString()).contains("simulator");
        assertThat(simulator.path("command").toString()).contains("\"simulate\"", "\"kafka:9092\"");
    }

    @Test
    void twoInstancesOfOneApplicationEachAdvertiseTheirApiAndPrometheusScrapesBoth() throws IOException {
        for (String name : List.of("schoolstats", "schoolstats-2")) {
            String command = service(name).path("command").toString();
            assertThat(command).contains("\"serve\"", "\"--advertised-url\"", "\"http://" + name + ":8080\"")
                    .doesNotContain("--application-id");
        }
        assertThat(mounts(service("schoolstats-2"))).contains("schoolstats-2-state:/data");
        assertThat(Files.readString(Path.of("grafana/prometheus/prometheus.yml")))
                .contains("targets: [\"schoolstats:8080\", \"schoolstats-2:8080\"]");
    }

    @Test
    void prometheusScrapesTheApplicationAndGrafanaShowsTheDashboards() throws IOException {
        JsonNode prometheus = service("prometheus");
        assertThat(prometheus.path("image").asText()).startsWith("prom/prometheus:");
        assertThat(containerPorts(prometheus)).contains("9090");
        assertThat(mounts(prometheus)).contains("./grafana/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml",
                // next to prometheus.yml, whose rule_files are relative to it (PrometheusRulesTest)
                "./grafana/prometheus/rules:/etc/prometheus/rules");
        String scrape = Files.readString(Path.of("grafana/prometheus/prometheus.yml"));
        assertThat(scrape).contains("schoolstats:8080").contains("scrape_interval: 5s");

        JsonNode grafana = service("grafana");
        assertThat(grafana.path("image").asText()).startsWith("grafana/grafana:");
        assertThat(containerPorts(grafana)).contains("3000");
        assertThat(grafana.path("environment").path("GF_AUTH_ANONYMOUS_ENABLED").asText()).isEqualTo("true");
        assertThat(grafana.path("environment").path("GF_AUTH_ANONYMOUS_ORG_ROLE").asText()).isEqualTo("Viewer");
        assertThat(mounts(grafana)).contains(
                "./grafana/provisioning/datasources:/etc/grafana/provisioning/datasources",
                "./grafana/provisioning/dashboards:/etc/grafana/provisioning/dashboards");
        // Each language's generated dashboards where its provider reads them (in the same order); not their source.
        List<Dashboards.Provider> providers = Dashboards.providers();
        assertThat(providers).hasSameSizeAs(Dashboards.LANGUAGES);
        for (int i = 0; i < providers.size(); i++) {
            assertThat(mounts(grafana)).contains("./grafana/dashboards/" + Dashboards.LANGUAGES.get(i) + ":"
                    + providers.get(i).path());
        }
        assertThat(mounts(grafana)).noneMatch(m -> m.startsWith("./grafana/dashboards:")
                || m.startsWith("./grafana/dashboards/source"));
        // Home: the Vietnamese overview.
        assertThat(grafana.path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText())
                .isEqualTo(providers.get(0).path() + "/overview.json");
        assertThat(grafana.path("depends_on").path("prometheus").path("condition").asText()).isEqualTo("service_healthy");
        // The datasource reaches Prometheus by its service name.
        assertThat(Dashboards.yamlValue(Dashboards.DATASOURCE, "url")).isEqualTo("http://prometheus:9090");
        assertThat(compose.path("services").has("prometheus")).isTrue();
    }

    /**
     * The unit dashboard's schools that have not reported come from the API through the Infinity
     * plugin: Grafana installs it before it starts (provisioning needs it), reaches the API by its
     * service name and port, and gets the token from the shell that runs compose.
     */
    @Test
    void grafanaInstallsTheInfinityPluginAndSendsTheApiItsToken() {
        JsonNode env = service("grafana").path("environment");
        assertThat(env.path("GF_PLUGINS_PREINSTALL_SYNC").asText().split(","))
                .anySatisfy(p -> assertThat(p).matches(Dashboards.API_DATASOURCE_TYPE + "(@[0-9.]+)?"));
        assertThat(env.has("GF_INSTALL_PLUGINS")).as("GF_INSTALL_PLUGINS is deprecated since Grafana 12").isFalse();
        assertThat(env.path("SCHOOLSTATS_GRAFANA_TOKEN").asText()).isEqualTo("${SCHOOLSTATS_GRAFANA_TOKEN:-}");
        assertThat(mounts(service("grafana"))).contains(
                "./grafana/provisioning/datasources:/etc/grafana/provisioning/datasources");
        assertThat(Dashboards.API_DATASOURCE).exists();

        JsonNode api = Dashboards.provisionedDatasource(Dashboards.API_DATASOURCE);
        assertThat(api.path("type").asText()).isEqualTo(Dashboards.API_DATASOURCE_TYPE);
        assertThat(api.path("secureJsonData").path("bearerToken").asText()).isEqualTo("$SCHOOLSTATS_GRAFANA_TOKEN");
        java.net.URI url = java.net.URI.create(api.path("url").asText());
        JsonNode app = service(url.getHost());
        assertThat(app.path("command").toString()).contains("\"--http-port\",\"" + url.getPort() + "\"");
    }

    @Test
    void everyHostPathMountedExistsAndEveryLongRunningServiceHasAHealthcheck() {
        compose.path("services").fields().forEachRemaining(e -> {
            for (String mount : mounts(e.getValue())) {
                if (mount.startsWith("./")) {
                    String host = mount.substring(0, mount.indexOf(':'));
                    assertThat(Path.of(host)).as(e.getKey() + " mounts " + host).exists();
                }
            }
        });
        for (String name : List.of("kafka", "schoolstats", "prometheus", "grafana")) {
            assertThat(service(name).path("healthcheck").path("test").isArray()).as(name + " healthcheck").isTrue();
        }
    }

    @Test
    void thePrometheusConfigIsValidForPromtool() throws Exception {
        Optional<Path> promtool = onPath("promtool");
        Assumptions.assumeTrue(promtool.isPresent(), "promtool is not installed (it comes with Debian's prometheus)");
        Result r = run(List.of(promtool.get().toString(), "check", "config", "grafana/prometheus/prometheus.yml"), 60);
        assertThat(r.exit()).as("promtool check config:%n%s", r.output()).isZero();
    }

    private static JsonNode service(String name) {
        JsonNode service = compose.path("services").path(name);
        assertThat(service.isObject()).as("service " + name + " in docker-compose.yml").isTrue();
        return service;
    }

    /** Container ports of {@code ports:} entries such as {@code '127.0.0.1:3000:3000'}. */
    private static List<String> containerPorts(JsonNode service) {
        List<String> ports = new ArrayList<>();
        service.path("ports").forEach(p -> {
            String s = p.isObject() ? p.path("target").asText() : p.asText();
            ports.add(s.substring(s.lastIndexOf(':') + 1).replace("/tcp", ""));
        });
        return ports;
    }

    /** {@code volumes:} entries without their {@code :ro}/{@code :rw} mode. */
    private static List<String> mounts(JsonNode service) {
        List<String> mounts = new ArrayList<>();
        service.path("volumes").forEach(v -> mounts.add(v.isObject()
                ? v.path("source").asText() + ":" + v.path("target").asText()
                : v.asText().replaceAll(":(ro|rw)$", "")));
        return mounts;
    }

    /** dclint from target/dclint, installed there with npm when it is missing and npm is present. */
    private static Optional<Path> dclint() throws Exception {
        if (!Files.isExecutable(DCLINT)) {
            Optional<Path> npm = onPath("npm");
            if (npm.isEmpty()) {
                return Optional.empty();
            }
            Result r = run(List.of(npm.get().toString(), "install", "--prefix", DCLINT_HOME.toString(), "--no-audit",
                    "--no-fund", "--no-save", "dclint@" + DCLINT_VERSION), 300);
            if (r.exit() != 0 || !Files.isExecutable(DCLINT)) {
                System.err.println("[ComposeFileTest] npm could not install dclint " + DCLINT_VERSION + ":\n" + r.output());
                return Optional.empty();
            }
        }
        return Optional.of(DCLINT);
    }

    static Optional<Path> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isBlank() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> command, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("compose-test", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeoutSeconds + " s: " + command + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}

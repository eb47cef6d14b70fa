package io.schoolstats.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.schoolstats.report.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Grafana dashboards of {@code grafana/dashboards/<language>}, read as Grafana reads them: the
 * files {@link DashboardGenerator} wrote, one set per language.
 */
final class Dashboards {
    static final Path ROOT = Path.of("grafana");
    static final Path DASHBOARDS = ROOT.resolve("dashboards");
    static final Path DATASOURCE = ROOT.resolve("provisioning/datasources/prometheus.yml");
    /** The API, through the Infinity plugin: the schools that have not reported. */
    static final Path API_DATASOURCE = ROOT.resolve("provisioning/datasources/schoolstats-api.yml");
    static final String API_DATASOURCE_TYPE = "yesoreyeram-infinity-datasource";
    static final Path PROVIDER = ROOT.resolve("provisioning/dashboards/dashboards.yml");
    /** Every language, Vietnamese (the default) first: tests take their parameters from here. */
    static final List<String> LANGUAGES = DashboardGenerator.LANGUAGES;

    /** {@code $name}, {@code ${name}}, {@code ${name:format}}, {@code [[name]]}: Grafana's variable syntaxes. */
    static final Pattern VARIABLE = Pattern.compile(
            "\\$\\{(\\w+)(?::[^}]*)?}|\\$(\\w+)|\\[\\[(\\w+)(?::[^\\]]*)?]]");

    /** Variables Grafana itself defines. */
    static final Set<String> BUILT_INS = Set.of("__rate_interval", "__interval", "__interval_ms", "__range",
            "__range_s", "__range_ms", "__from", "__to", "__dashboard", "__user", "__org", "__name", "__timeFilter");

    /** One dashboard file; {@code file} is its path under grafana/dashboards ({@code vi/unit.json}). */
    record Dashboard(String file, JsonNode json) {
        String title() {
            return json.path("title").asText();
        }

        /** Every panel, rows and the panels inside collapsed rows included. */
        List<JsonNode> panels() {
            List<JsonNode> out = new ArrayList<>();
            collect(json.path("panels"), out);
            return out;
        }

        private static void collect(JsonNode panels, List<JsonNode> out) {
            for (JsonNode panel : panels) {
                out.add(panel);
                collect(panel.path("panels"), out);
            }
        }

        List<JsonNode> variables() {
            List<JsonNode> out = new ArrayList<>();
            json.path("templating").path("list").forEach(out::add);
            return out;
        }

        Set<String> variableNames() {
            Set<String> names = new LinkedHashSet<>();
            variables().forEach(v -> names.add(v.path("name").asText()));
            return names;
        }

        /** Every Prometheus query of every panel (not those of the API, see {@link #API_DATASOURCE}). */
        List<Query> queries() {
            List<Query> out = new ArrayList<>();
            for (JsonNode panel : panels()) {
                for (JsonNode target : panel.path("targets")) {
                    if (!target.path("datasource").path("type").asText().equals("prometheus")) {
                        continue;
                    }
                    out.add(new Query(this, panel.path("title").asText(), target.path("refId").asText(),
                            target.path("expr").asText(), target));
                }
            }
            return out;
        }
    }

    /** One panel target: where it is and its PromQL. */
    record Query(Dashboard dashboard, String panel, String refId, String expr, JsonNode target) {
        @Override
        public String toString() {
            return dashboard.file() + " / panel \"" + panel + "\" / query " + refId + ": " + expr;
        }
    }

    private Dashboards() {
    }

    /** The dashboards of one language, by file name. */
    static List<Dashboard> all(String language) {
        try (Stream<Path> files = Files.list(DASHBOARDS.resolve(language))) {
            List<Dashboard> out = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                out.add(new Dashboard(language + "/" + file.getFileName(), Json.MAPPER.readTree(file.toFile())));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file name of a dashboard, without its language ({@code unit.json}). */
    static String name(Dashboard dashboard) {
        return dashboard.file().substring(dashboard.file().indexOf('/') + 1);
    }

    /** The variable text of a query: a string, or the {@code query} of an object (Grafana 10+). */
    static String variableQuery(JsonNode variable) {
        JsonNode query = variable.path("query");
        return query.isObject() ? query.path("query").asText() : query.asText();
    }

    /** The values of a custom variable's query, {@code text : value} pairs or plain values, comma-separated. */
    static List<String> customValues(String query) {
        List<String> values = new ArrayList<>();
        for (String option : query.split("(?<!\\\\),")) {
            int colon = option.indexOf(" : ");
            String value = (colon >= 0 ? option.substring(colon + 3) : option).trim();
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return values;
    }

    /** Names of the variables a text refers to. */
    static Set<String> referencedVariables(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            for (int g = 1; g <= 3; g++) {
                if (m.group(g) != null) {
                    names.add(m.group(g));
                }
            }
        }
        return names;
    }

    /** Replaces every variable of a text by its value; fails on one without a value. */
    static String substitute(String text, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for $" + name + " in: " + text);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A dashboard provider of grafana/provisioning/dashboards: a folder loaded from a path of the container. */
    record Provider(String name, String folder, String type, String path) {
    }

    /** The providers of the dashboard provisioning file, in its order. */
    static List<Provider> providers() {
        try {
            List<Provider> out = new ArrayList<>();
            for (JsonNode p : new YAMLMapper().readTree(PROVIDER.toFile()).path("providers")) {
                out.add(new Provider(p.path("name").asText(), p.path("folder").asText(), p.path("type").asText(),
                        p.path("options").path("path").asText()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first datasource of a datasource provisioning file. */
    static JsonNode provisionedDatasource(Path file) {
        try {
            return new YAMLMapper().readTree(file.toFile()).path("datasources").path(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The uid the provisioning file gives the Prometheus datasource. */
    static String provisionedDatasourceUid() {
        return yamlValue(DATASOURCE, "uid");
    }

    /** The first {@code key: value} of a YAML file (unquoted), enough for the small provisioning files. */
    static String yamlValue(Path file, String key) {
        try {
            Matcher m = Pattern.compile("(?m)^[\\s-]*" + Pattern.quote(key) + ":\\s*[\"']?([^\"'#\\s]+)")
                    .matcher(Files.readString(file));
            if (!m.find()) {
                throw new IllegalStateException("no " + key + " in " + file);
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.schoolstats.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.dashboards.Dashboards.Dashboard;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives a dashboard's template variables the values Grafana would select on a first visit:
 * each query variable runs against a real Prometheus, in order (a variable may use the ones
 * before it), then its regex and sort apply and the first option is taken ("All" when the
 * variable includes it); custom, textbox and constant variables take their default. A value
 * chosen for a variable, as a user picks it from the dropdown, replaces the default when it is
 * one of the options.
 */
final class GrafanaVariables {
    /** What Grafana puts in its built-in variables, for a 1 h dashboard range. */
    static final Map<String, String> BUILT_IN_VALUES = Map.of("__rate_interval", "15s", "__interval", "15s",
            "__interval_ms", "15000", "__range", "1h", "__range_s", "3600", "__range_ms", "3600000");

    /**
     * Values by variable name, the options each variable offered (after its regex and sort), and
     * what went wrong (an empty list when every variable has values).
     */
    record Resolved(Map<String, String> values, Map<String, List<String>> options, List<String> failures) {
    }

    private GrafanaVariables() {
    }

    static Resolved resolve(Dashboard dashboard, PrometheusServer prometheus) {
        return resolve(dashboard, prometheus, Map.of());
    }

    /** The same, with the values {@code chosen} by name (each must be one of its variable's options). */
    static Resolved resolve(Dashboard dashboard, PrometheusServer prometheus, Map<String, String> chosen) {
        Map<String, String> values = new LinkedHashMap<>(BUILT_IN_VALUES);
        Map<String, List<String>> offered = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (JsonNode variable : dashboard.variables()) {
            String name = variable.path("name").asText();
            String type = variable.path("type").asText();
            String where = dashboard.file() + " / variable $" + name;
            try {
                List<String> options = switch (type) {
                    case "query" -> queryOptions(variable, values, prometheus);
                    case "custom" -> Dashboards.customValues(Dashboards.variableQuery(variable));
                    case "textbox", "constant", "interval" -> List.of(defaultText(variable));
                    default -> throw new IllegalArgumentException("variable type " + type + " is not emulated");
                };
                offered.put(name, options);
                if (options.isEmpty()) {
                    failures.add(where + ": query " + Dashboards.variableQuery(variable) + " returned no value");
                    values.put(name, "NO_VALUE_FOR_" + name);
                } else if (chosen.containsKey(name)) {
                    if (!options.contains(chosen.get(name))) {
                        failures.add(where + ": " + chosen.get(name) + " is not one of the options " + options);
                    }
                    values.put(name, chosen.get(name));
                } else {
                    values.put(name, select(variable, options));
                }
            } catch (RuntimeException e) {
                failures.add(where + ": " + e.getMessage());
                values.put(name, "NO_VALUE_FOR_" + name);
            }
        }
        return new Resolved(values, offered, failures);
    }

    private static List<String> queryOptions(JsonNode variable, Map<String, String> values, PrometheusServer prometheus) {
        String query = Dashboards.substitute(Dashboards.variableQuery(variable), values);
        VariableQuery parsed = VariableQuery.parse(query);
        List<String> texts = switch (parsed.kind()) {
            case LABEL_VALUES -> prometheus.labelValues(parsed.label(), parsed.argument());
            case LABEL_NAMES -> {
                List<String> names = new ArrayList<>();
                prometheus.api("/api/v1/labels").forEach(n -> names.add(n.asText()));
                yield names;
            }
            case METRICS -> prometheus.labelValues("__name__", "").stream()
                    .filter(n -> Pattern.compile(parsed.argument()).matcher(n).find()).toList();
            case QUERY_RESULT -> queryResultTexts(prometheus.query(parsed.argument()));
        };
        List<String> options = applyRegex(variable.path("regex").asText(), texts);
        return sort(variable.path("sort").asInt(0), options);
    }

    /** The text Grafana makes of each series of a {@code query_result}: {@code name{l="v",...} value timestamp}. */
    private static List<String> queryResultTexts(JsonNode data) {
        List<String> texts = new ArrayList<>();
        for (JsonNode series : data.path("result")) {
            JsonNode metric = series.path("metric");
            StringBuilder text = new StringBuilder(metric.path("__name__").asText(""));
            List<String> labels = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> label = it.next();
                if (!label.getKey().equals("__name__")) {
                    labels.add(label.getKey() + "=\"" + label.getValue().asText() + "\"");
                }
            }
            text.append('{').append(String.join(",", labels)).append("} ")
                    .append(series.path("value").path(1).asText()).append(' ')
                    .append((long) (series.path("value").path(0).asDouble() * 1000));
            texts.add(text.toString());
        }
        return texts;
    }

    /** Grafana's variable regex: named groups text/value, else the first group, else the match; others dropped. */
    static List<String> applyRegex(String regex, List<String> texts) {
        if (regex.isBlank()) {
            return new ArrayList<>(new LinkedHashSet<>(texts));
        }
        String body = regex.startsWith("/") ? regex.substring(1, regex.lastIndexOf('/')) : regex;
        Pattern pattern = Pattern.compile(body);
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String text : texts) {
            Matcher m = pattern.matcher(text);
            if (!m.find()) {
                continue;
            }
            if (body.contains("(?<value>")) {
                out.add(m.group("value"));
            } else if (body.contains("(?<text>")) {
                out.add(m.group("text"));
            } else {
                out.add(m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group());
            }
        }
        return new ArrayList<>(out);
    }

    /** Grafana's sort options: 1/2 alphabetical, 3/4 numerical, 5/6 alphabetical ignoring case, 7/8 natural. */
    static List<String> sort(int mode, List<String> options) {
        List<String> sorted = new ArrayList<>(options);
        Comparator<String> order = switch (mode) {
            case 1, 2, 7, 8 -> Comparator.naturalOrder();
            case 3, 4 -> Comparator.comparingDouble(GrafanaVariables::firstNumber);
            case 5, 6 -> String.CASE_INSENSITIVE_ORDER;
            default -> null;
        };
        if (order != null) {
            sorted.sort(mode % 2 == 0 ? order.reversed() : order);
        }
        return sorted;
    }

    private static double firstNumber(String s) {
        Matcher m = Pattern.compile("-?\\d+(\\.\\d+)?").matcher(s);
        return m.find() ? Double.parseDouble(m.group()) : Double.NEGATIVE_INFINITY;
    }


    private static String defaultText(JsonNode variable) {
        String current = currentValue(variable);
        return current != null ? current : Dashboards.variableQuery(variable);
    }

    private static String currentValue(JsonNode variable) {
        JsonNode value = variable.path("current").path("value");
        if (value.isArray()) {
            return value.isEmpty() ? null : value.get(0).asText();
        }
        return value.isMissingNode() || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    /** The saved selection when it is still an option, else the first option ("All" first when included). */
    private static String select(JsonNode variable, List<String> options) {
        String current = currentValue(variable);
        boolean all = "$__all".equals(current) || (current == null && variable.path("includeAll").asBoolean());
        if (all) {
            String custom = variable.path("allValue").asText("");
            if (!custom.isEmpty()) {
                return custom;
            }
            List<String> escaped = options.stream().map(GrafanaVariables::regexEscape).toList();
            return "(" + String.join("|", escaped) + ")";
        }
        return current != null && options.contains(current) ? current : options.get(0);
    }

    /** How Grafana's Prometheus datasource escapes a value joined into a regex. */
    private static String regexEscape(String value) {
        return value.replaceAll("([\\\\^$*+?.()|{}\\[\\]])", "\\\\\\\\$1");
    }
}

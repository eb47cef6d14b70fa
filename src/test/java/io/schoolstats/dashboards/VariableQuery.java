package io.schoolstats.dashboards;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query of a Grafana template variable on a Prometheus datasource: {@code label_values(label)},
 * {@code label_values(selector, label)}, {@code label_names()}, {@code metrics(regex)} or
 * {@code query_result(promql)}.
 */
record VariableQuery(Kind kind, String argument, String label) {
    enum Kind { LABEL_VALUES, LABEL_NAMES, METRICS, QUERY_RESULT }

    private static final Pattern CALL = Pattern.compile("^\\s*(label_values|label_names|metrics|query_result)\\s*\\((.*)\\)\\s*$",
            Pattern.DOTALL);

    static VariableQuery parse(String query) {
        Matcher m = CALL.matcher(query);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Grafana Prometheus variable query: " + query);
        }
        String args = m.group(2).trim();
        switch (m.group(1)) {
            case "label_values": {
                int comma = lastTopLevelComma(args);
                return comma < 0 ? new VariableQuery(Kind.LABEL_VALUES, "", args)
                        : new VariableQuery(Kind.LABEL_VALUES, args.substring(0, comma).trim(),
                                args.substring(comma + 1).trim());
            }
            case "label_names":
                return new VariableQuery(Kind.LABEL_NAMES, args, "");
            case "metrics":
                return new VariableQuery(Kind.METRICS, args, "");
            default:
                return new VariableQuery(Kind.QUERY_RESULT, args, "");
        }
    }

    /** The metric names the query reads. */
    Set<String> metricNames() {
        return switch (kind) {
            case LABEL_VALUES, QUERY_RESULT -> PromQl.metricNames(argument);
            default -> Set.of();
        };
    }

    private static int lastTopLevelComma(String s) {
        int depth = 0;
        int last = -1;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '{' || c == '[')) {
                depth++;
            } else if (!quoted && (c == ')' || c == '}' || c == ']')) {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                last = i;
            }
        }
        return last;
    }
}

package io.schoolstats.dashboards;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL to find the metric names an expression reads, so that a dashboard can be
 * checked against what the application really exports.
 */
final class PromQl {
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2");
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern NAME_MATCHER = Pattern.compile("__name__\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern TOKEN = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*|[0-9][0-9a-zA-Z_.]*");

    private PromQl() {
    }

    /** The metric names an expression selects (variables already replaced or not). */
    static Set<String> metricNames(String expr) {
        Set<String> names = new LinkedHashSet<>();
        Matcher byName = NAME_MATCHER.matcher(expr);
        while (byName.find()) {
            names.add(byName.group(1));
        }
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = Dashboards.VARIABLE.matcher(s).replaceAll("1");
        s = s.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        s = GROUPING.matcher(s).replaceAll("$1 ");
        Matcher m = TOKEN.matcher(s);
        while (m.find()) {
            String token = m.group();
            if (Character.isDigit(token.charAt(0)) || KEYWORDS.contains(token)) {
                continue;
            }
            String rest = s.substring(m.end()).stripLeading();
            boolean call = rest.startsWith("(");
            boolean aggregationWithClause = AGGREGATIONS.contains(token)
                    && (rest.startsWith("by") || rest.startsWith("without"));
            if (!call && !aggregationWithClause) {
                names.add(token);
            }
        }
        return names;
    }
}

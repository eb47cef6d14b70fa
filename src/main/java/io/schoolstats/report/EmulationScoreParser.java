package io.schoolstats.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Violation.Reason;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Validates evaluators' score reports on their own: ids, school year, points (0 to 10,000, at most
 * two decimals), revision and submittedAt as for every report. Whether the criterion and member
 * exist, and the points fit the criterion's maximum, the cluster stage checks against the scheme
 * and the cluster it holds (HTTP checks the same before writing).
 */
public final class EmulationScoreParser {
    /** A score is a few short fields: a record larger than this is refused before it is read. */
    public static final int MAX_BYTES = 16 * 1024;

    private EmulationScoreParser() {
    }

    public static Parsed<EmulationScore> parse(byte[] bytes, Received received) {
        if (bytes != null && bytes.length > MAX_BYTES) {
            return Parsed.invalid(new Violation(null, Reason.TOO_LARGE, "a score report must be at most " + MAX_BYTES
                    + " bytes, got " + bytes.length, bytes.length, MAX_BYTES));
        }
        Parsed<JsonNode> node = ReportParser.tree(bytes);
        return node.isValid() ? parse(node.value(), received) : Parsed.invalid(node.violations());
    }

    public static Parsed<EmulationScore> parse(JsonNode node, Received received) {
        if (node == null || !node.isObject()) {
            return Parsed.invalid(new Violation(null, Reason.NOT_AN_OBJECT,
                    "a report must be a JSON object, got " + (node == null ? "nothing" : Fields.describe(node))));
        }
        Fields f = new Fields(node);
        String clusterId = f.id("clusterId");
        String schoolYear = f.schoolYear("schoolYear");
        String member = f.id("member");
        String criterion = f.id("criterion");
        long hundredths = points(f, node.get("points"));
        long revision = ReportParser.revision(f);
        Instant submittedAt = ReportParser.submittedAt(f, received);
        if (f.ok()) {
            ReportParser.schoolYearBounds(f, schoolYear, submittedAt == null ? null : received.day(submittedAt));
        }
        return f.ok() ? Parsed.valid(new EmulationScore(clusterId, schoolYear, member, criterion, hundredths, revision,
                submittedAt)) : Parsed.invalid(f.violations());
    }

    /** The points in hundredths; -1, with a violation, when they are not 0 to 10,000 with two decimals at most. */
    private static long points(Fields f, JsonNode node) {
        if (node == null || node.isNull()) {
            f.fail("points", Reason.MISSING_FIELD, "'points' is required");
            return -1;
        }
        if (!node.isNumber()) {
            f.fail("points", Reason.WRONG_TYPE, "'points' must be a number", "number");
            return -1;
        }
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            f.fail("points", Reason.INVALID_POINTS, "'points' must be 0 to " + EmulationScore.MAX_HUNDREDTHS / 100
                    + " with at most two decimals, got " + Quote.of(node.asText()), node.asText());
            return -1;
        }
        BigDecimal points = node.decimalValue();
        if (points.signum() < 0 || points.compareTo(BigDecimal.valueOf(EmulationScore.MAX_HUNDREDTHS, 2)) > 0
                || points.stripTrailingZeros().scale() > 2) {
            f.fail("points", Reason.INVALID_POINTS, "'points' must be 0 to " + EmulationScore.MAX_HUNDREDTHS / 100
                    + " with at most two decimals, got " + Quote.of(node.asText()), node.asText());
            return -1;
        }
        return points.movePointRight(2).longValueExact();
    }
}

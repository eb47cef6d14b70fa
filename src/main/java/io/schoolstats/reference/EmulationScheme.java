package io.schoolstats.reference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.report.EmulationScore;
import io.schoolstats.report.Json;
import io.schoolstats.report.Quote;
import io.schoolstats.report.Violation;
import io.schoolstats.report.Violation.Reason;
import java.util.List;

/**
 * A cluster's scoring scheme for one school year ({@code reference.emulation-schemes}, keyed
 * {@code clusterId|schoolYear}): the criteria (fields of work) each member is scored on, with
 * their maximum points, and who is proposed for the emulation flag. A criterion tied to an
 * indicator the product computes is scored by its {@link Rule}; one without is scored by people.
 */
public record EmulationScheme(String clusterId, String schoolYear, String name, List<Criterion> criteria, Flag flag) {
    /** Most criteria a scheme may have (Hanoi's Cluster 1 scores 13). */
    public static final int MAX_CRITERIA = 50;
    /** Most points one criterion may be worth. */
    public static final double MAX_POINTS = 10_000;

    /**
     * The indicators a criterion may be tied to, each a member's value for the scheme's school
     * year: attendance over the year, completion and good conduct of a level, pass ratio and
     * awards (first to consolation, a count) of an exam.
     */
    public static final java.util.regex.Pattern INDICATOR = java.util.regex.Pattern.compile("attendance_ratio"
            + "|(completion_ratio|conduct_good_ratio):(PRESCHOOL|PRIMARY|LOWER_SECONDARY|UPPER_SECONDARY)"
            + "|(pass_ratio|awards):[A-Z0-9_]{1,40}");

    public RowKey key() {
        return new RowKey(clusterId, schoolYear);
    }

    /** The criterion of that id; null when the scheme has none. */
    public Criterion criterion(String id) {
        for (Criterion c : criteria) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Why an evaluator's score does not fit its cluster's scheme and members of its school year
     * (null: no scheme, or no cluster row, that year); empty when it fits. The same check runs over
     * HTTP, before writing, and in the cluster stage, which holds the rows and schemes in force.
     */
    public static List<Violation> check(EmulationScore score, java.util.Collection<String> members,
                                        EmulationScheme scheme) {
        String cluster = score.clusterId();
        String year = score.schoolYear();
        if (scheme == null) {
            return List.of(new Violation("clusterId", Reason.NO_SCHEME, "cluster '" + cluster + "' has no scoring scheme "
                    + "for " + year + " (reference.emulation-schemes): an operator must load it first", cluster, year));
        }
        if (members == null || !members.contains(score.member())) {
            return List.of(new Violation("member", Reason.NOT_A_MEMBER, "'" + Quote.of(score.member())
                    + "' is not a member of cluster '" + cluster + "' in " + year
                    + (members == null ? " (the cluster has no row for that school year)" : ""), score.member(), cluster,
                    year));
        }
        Criterion c = scheme.criterion(score.criterion());
        if (c == null) {
            return List.of(new Violation("criterion", Reason.UNKNOWN_CRITERION, "criterion '" + Quote.of(score.criterion())
                    + "' is not in the scheme of cluster '" + cluster + "' for " + year, score.criterion(), cluster, year));
        }
        if (c.computed()) {
            return List.of(new Violation("criterion", Reason.COMPUTED_CRITERION, "criterion '" + c.id() + "' is computed "
                    + "from '" + c.indicator() + "', not scored by people", c.id()));
        }
        if (!c.admits(score.hundredths())) {
            return List.of(new Violation("points", Reason.POINTS_OVER_MAXIMUM, "'points' " + score.points()
                    + " is above the maximum of criterion '" + c.id() + "', " + c.maxPoints(), score.points(),
                    c.maxPoints(), c.id()));
        }
        return List.of();
    }

    /** One field of work; {@code indicator} and {@code rule} are both null for a criterion people score. */
    public record Criterion(String id, String name, double maxPoints, String indicator, Rule rule) {
        public boolean computed() {
            return indicator != null;
        }

        /** Whether points (in hundredths) are within this criterion's maximum. */
        public boolean admits(long hundredths) {
            return hundredths >= 0 && hundredths <= (long) Math.floor(maxPoints * 100 + 1e-6);
        }
    }

    /** How an indicator's value becomes points, at most the criterion's maximum. */
    public sealed interface Rule permits Linear, Thresholds {
        double points(double value, double maxPoints);
    }

    /** No points at or below {@code from}, all of them at or above {@code to}, in proportion between. */
    public record Linear(double from, double to) implements Rule {
        @Override
        public double points(double value, double maxPoints) {
            double share = (value - from) / (to - from);
            return maxPoints * Math.max(0, Math.min(1, share));
        }
    }

    /** The points of the highest step whose {@code atLeast} the value reaches; none below every step. */
    public record Thresholds(List<Step> steps) implements Rule {
        @Override
        public double points(double value, double maxPoints) {
            double best = 0;
            for (Step step : steps) {
                if (value >= step.atLeast() && step.points() > best) {
                    best = step.points();
                }
            }
            return best;
        }
    }

    public record Step(double atLeast, double points) {
    }

    /**
     * Who is proposed for the flag: the members ranked within {@code top} (ties included), and
     * with at least {@code minTotal} points; either may be null (no such condition).
     */
    public record Flag(Integer top, Double minTotal) {
        public boolean proposes(int rank, double total) {
            return (top == null || rank <= top) && (minTotal == null || total >= minTotal);
        }
    }

    /** The scheme as the API shows it (and as the engine keeps it: the reader reads this back). */
    public ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("clusterId", clusterId).put("schoolYear", schoolYear).put("name", name);
        ArrayNode list = root.putArray("criteria");
        for (Criterion c : criteria) {
            ObjectNode node = list.addObject().put("id", c.id()).put("name", c.name()).put("maxPoints", c.maxPoints());
            if (c.computed()) {
                node.put("indicator", c.indicator());
                ObjectNode rule = node.putObject("rule");
                if (c.rule() instanceof Linear linear) {
                    rule.put("type", "linear").put("from", linear.from()).put("to", linear.to());
                } else if (c.rule() instanceof Thresholds thresholds) {
                    ArrayNode steps = rule.put("type", "thresholds").putArray("steps");
                    thresholds.steps().forEach(s -> steps.addObject().put("atLeast", s.atLeast()).put("points", s.points()));
                }
            }
        }
        if (flag != null) {
            ObjectNode node = root.putObject("flag");
            if (flag.top() != null) {
                node.put("top", flag.top());
            }
            if (flag.minTotal() != null) {
                node.put("minTotal", flag.minTotal());
            }
        }
        return root;
    }
}

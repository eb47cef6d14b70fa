package io.schoolstats.query;

import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.EmulationScheme;
import io.schoolstats.reference.EmulationScheme.Criterion;
import io.schoolstats.report.Violation;
import io.schoolstats.stage.UnitInput.Member;
import io.schoolstats.stats.Kind;
import io.schoolstats.stats.Measure;
import io.schoolstats.stats.Ratio;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster's league table for one school year (issue 14): each member's points per criterion of
 * the year's scoring scheme, the total, the rank by total and who is proposed for the emulation
 * flag. Computed points come from the member's indicators for that school year, as the cluster
 * holds them now: they follow every correction, and a past year's table changes only when that
 * year's reports do. Points are kept to two decimals, and totals equal to two decimals share a
 * rank, the next being skipped (1, 2, 2, 4), as in {@link Ranking}.
 */
public final class League {
    /** A member's points on one criterion; null when not scored yet (no data, or people have not scored). */
    public record Points(String criterion, Double points, Double value) {
    }

    /** One line of the table, best first. */
    public record Line(String code, String scope, String name, boolean head, List<Points> points, double total,
                       int rank, boolean proposed) {
    }

    /**
     * {@code provisional}: some member has a criterion without points yet, so totals, ranks and
     * proposals may still change.
     */
    public record Table(String clusterId, String name, String schoolYear, EmulationScheme scheme, List<Line> lines,
                        boolean provisional, List<Unmatched> unmatched, int unmatchedTotal) {
    }

    /**
     * An evaluator's score kept but not counted, because the scheme or the members of its year do
     * not admit it (now: it counts as soon as they do), with the reason's code.
     */
    public record Unmatched(String member, String criterion, double points, String reason) {
    }

    /** Most unmatched scores a table lists ({@code unmatchedTotal} counts them all). */
    public static final int MAX_UNMATCHED_LISTED = 100;

    private League() {
    }

    /** The table, or null when the cluster has no members or no scheme that school year. */
    public static Table of(StatsQuery query, String clusterId, String schoolYear) {
        return of(query, query.clusterYears(clusterId).get(schoolYear), query.schemes(clusterId).get(schoolYear));
    }

    /** The table of a cluster's row and scheme of one school year (null when either is). */
    public static Table of(StatsQuery query, Cluster row, EmulationScheme scheme) {
        if (row == null || scheme == null) {
            return null;
        }
        String clusterId = row.clusterId();
        String schoolYear = row.schoolYear();
        Map<String, Map<String, Double>> indicators = indicators(query, clusterId, schoolYear);
        Map<String, Map<String, Long>> scores = query.scores(clusterId, schoolYear);
        List<Line> lines = new ArrayList<>();
        for (String code : row.members()) {
            List<Points> points = new ArrayList<>();
            double total = 0;
            for (Criterion c : scheme.criteria()) {
                Double value = null;
                Double scored;
                if (c.computed()) {
                    value = indicators.getOrDefault(c.indicator(), Map.of()).get(code);
                    scored = value == null ? null : round(c.rule().points(value, c.maxPoints()));
                } else {
                    // A score the scheme no longer admits (its maximum lowered since) counts as not scored.
                    Long hundredths = scores.getOrDefault(code, Map.of()).get(c.id());
                    scored = hundredths == null || !c.admits(hundredths) ? null : hundredths / 100.0;
                }
                points.add(new Points(c.id(), scored, value));
                total += scored == null ? 0 : scored;
            }
            Member member = query.member(clusterId, schoolYear, code);
            lines.add(new Line(code, member == null ? row.scope().label() : member.scope(),
                    member == null ? code : member.name(), code.equals(row.head()), List.copyOf(points), round(total), 0,
                    false));
        }
        lines.sort(Comparator.comparingDouble(Line::total).reversed().thenComparing(Line::code));
        List<Line> ranked = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            int rank = i > 0 && l.total() == ranked.get(i - 1).total() ? ranked.get(i - 1).rank() : i + 1;
            boolean proposed = scheme.flag() != null && scheme.flag().proposes(rank, l.total());
            ranked.add(new Line(l.code(), l.scope(), l.name(), l.head(), l.points(), l.total(), rank, proposed));
        }
        boolean provisional = ranked.stream().anyMatch(l -> l.points().stream().anyMatch(p -> p.points() == null));
        List<Unmatched> unmatched = new ArrayList<>();
        int unmatchedTotal = 0;
        for (var byMember : scores.entrySet()) {
            for (var byCriterion : byMember.getValue().entrySet()) {
                String reason = unmatched(row, scheme, byMember.getKey(), byCriterion.getKey(), byCriterion.getValue());
                if (reason != null && unmatchedTotal++ < MAX_UNMATCHED_LISTED) {
                    unmatched.add(new Unmatched(byMember.getKey(), byCriterion.getKey(), byCriterion.getValue() / 100.0,
                            reason));
                }
            }
        }
        return new Table(clusterId, row.name(), schoolYear, scheme, List.copyOf(ranked), provisional,
                List.copyOf(unmatched), unmatchedTotal);
    }

    /** Why a kept score does not count (the reason HTTP would refuse it with), or null when it does. */
    private static String unmatched(Cluster row, EmulationScheme scheme, String member, String criterion,
                                    long hundredths) {
        var score = new io.schoolstats.report.EmulationScore(row.clusterId(), row.schoolYear(), member, criterion,
                hundredths, 1, null);
        List<Violation> problems = EmulationScheme.check(score, row.members(), scheme);
        return problems.isEmpty() ? null : problems.get(0).reason().code();
    }

    /** The table as {@code GET /api/v1/clusters/{clusterId}/emulation} shows it. */
    public static com.fasterxml.jackson.databind.node.ObjectNode toJson(Table table) {
        var root = io.schoolstats.report.Json.MAPPER.createObjectNode();
        root.put("clusterId", table.clusterId()).put("name", table.name()).put("schoolYear", table.schoolYear())
                .put("provisional", table.provisional());
        root.set("scheme", table.scheme().toJson());
        var unmatched = root.putArray("unmatchedScores");
        for (Unmatched u : table.unmatched()) {
            unmatched.addObject().put("member", u.member()).put("criterion", u.criterion()).put("points", u.points())
                    .put("reason", u.reason());
        }
        root.put("unmatchedScoresTotal", table.unmatchedTotal());
        var members = root.putArray("members");
        for (Line line : table.lines()) {
            var node = members.addObject().put("rank", line.rank()).put("code", line.code()).put("scope", line.scope())
                    .put("name", line.name()).put("head", line.head()).put("total", line.total())
                    .put("proposed", line.proposed());
            var points = node.putArray("points");
            for (Points p : line.points()) {
                var n = points.addObject().put("criterion", p.criterion());
                if (p.points() == null) {
                    n.putNull("points");
                } else {
                    n.put("points", p.points());
                }
                if (p.value() != null) {
                    n.put("value", p.value());
                }
            }
        }
        return root;
    }

    /** Every indicator a scheme may name, by member, for the school year (see {@link EmulationScheme#INDICATOR}). */
    private static Map<String, Map<String, Double>> indicators(StatsQuery query, String clusterId, String schoolYear) {
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (Kind kind : List.of(Kind.ATTENDANCE_YEAR, Kind.COMPLETION, Kind.EXAM)) {
            query.memberShares(clusterId, kind, schoolYear).forEach((period, members) -> members.forEach((code, share) -> {
                switch (kind) {
                    case ATTENDANCE_YEAR -> put(out, "attendance_ratio", code, share.ratio(Measure.PRESENT, Measure.ENROLLED));
                    case COMPLETION -> {
                        put(out, "completion_ratio:" + period.level(), code, share.ratio(Measure.COMPLETED, Measure.ASSESSED));
                        put(out, "conduct_good_ratio:" + period.level(), code,
                                share.ratio(Measure.CONDUCT_GOOD, Measure.CONDUCT_ASSESSED));
                    }
                    case EXAM -> {
                        put(out, "pass_ratio:" + period.exam(), code, share.ratio(Measure.PASSED, Measure.CANDIDATES));
                        long awards = 0;
                        for (Measure award : Measure.AWARDS) {
                            awards += share.get(award);
                        }
                        out.computeIfAbsent("awards:" + period.exam(), k -> new HashMap<>()).put(code, (double) awards);
                    }
                    default -> {
                    }
                }
            }));
        }
        return out;
    }

    private static void put(Map<String, Map<String, Double>> out, String indicator, String code, Ratio ratio) {
        if (ratio.defined()) {
            out.computeIfAbsent(indicator, k -> new HashMap<>()).put(code, ratio.value());
        }
    }

    /** Two decimals, half up: points as a person would write them, and compared so. */
    static double round(double points) {
        return java.math.BigDecimal.valueOf(points).setScale(2, java.math.RoundingMode.HALF_UP).doubleValue();
    }
}

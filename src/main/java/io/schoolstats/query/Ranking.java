package io.schoolstats.query;

import io.schoolstats.reference.Cluster;
import io.schoolstats.stage.UnitInput.Member;
import io.schoolstats.stats.Aggregate;
import io.schoolstats.stats.Kind;
import io.schoolstats.stats.Measure;
import io.schoolstats.stats.Period;
import io.schoolstats.stats.Ratio;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Ranks a cluster's members for one school year on each indicator: attendance over the school
 * year ({@code attendance_ratio}), completion per level ({@code completion_ratio:PRIMARY}) and
 * pass ratio per exam ({@code pass_ratio:THPT_GRADUATION}). Rank 1 is the highest rate. Equal
 * rates (compared exactly) share a rank and the next rank is skipped (1, 2, 2, 4). Members
 * without data for an indicator are not ranked on it.
 */
public final class Ranking {
    /** One member's place on one indicator; scope and name as of the cluster's school year. */
    public record Place(String code, String scope, String name, int rank, Ratio ratio, boolean head) {
    }

    /** All ranked members on one indicator, best first. */
    public record Indicator(String indicator, List<Place> places) {
    }

    private Ranking() {
    }

    public static List<Indicator> of(StatsQuery query, String clusterId, String schoolYear) {
        Cluster row = query.clusterYears(clusterId).get(schoolYear);
        String head = row == null ? null : row.head();
        String memberScope = row == null ? null : row.scope().label();
        List<Indicator> indicators = new ArrayList<>();
        for (Kind kind : List.of(Kind.ATTENDANCE_YEAR, Kind.COMPLETION, Kind.EXAM)) {
            for (Map.Entry<Period, Map<String, Aggregate>> entry : query.memberShares(clusterId, kind, schoolYear).entrySet()) {
                List<Place> unranked = new ArrayList<>();
                entry.getValue().forEach((code, share) -> {
                    Ratio ratio = ratio(share);
                    if (ratio.defined()) {
                        Member member = query.member(clusterId, schoolYear, code);
                        unranked.add(new Place(code, member == null ? memberScope : member.scope(),
                                member == null ? code : member.name(), 0, ratio, code.equals(head)));
                    }
                });
                indicators.add(new Indicator(indicatorName(entry.getKey()), rank(unranked)));
            }
        }
        indicators.sort(Comparator.comparing(Ranking::order).thenComparing(Indicator::indicator));
        return indicators;
    }

    /** The indicator a period is ranked on, or null for periods that are not ranked. */
    public static String indicatorName(Period period) {
        return switch (period.kind()) {
            case ATTENDANCE_YEAR -> "attendance_ratio";
            case COMPLETION -> "completion_ratio:" + period.level();
            case EXAM -> "pass_ratio:" + period.exam();
            default -> null;
        };
    }

    static Ratio ratio(Aggregate share) {
        return switch (share.period().kind()) {
            case ATTENDANCE_YEAR -> share.ratio(Measure.PRESENT, Measure.ENROLLED);
            case COMPLETION -> share.ratio(Measure.COMPLETED, Measure.ASSESSED);
            case EXAM -> share.ratio(Measure.PASSED, Measure.CANDIDATES);
            default -> new Ratio(0, 0);
        };
    }

    private static List<Place> rank(List<Place> places) {
        places.sort(Comparator.comparing(Place::ratio).reversed().thenComparing(Place::code));
        List<Place> ranked = new ArrayList<>(places.size());
        for (int i = 0; i < places.size(); i++) {
            Place p = places.get(i);
            int rank = i > 0 && p.ratio().compareTo(places.get(i - 1).ratio()) == 0 ? ranked.get(i - 1).rank() : i + 1;
            ranked.add(new Place(p.code(), p.scope(), p.name(), rank, p.ratio(), p.head()));
        }
        return ranked;
    }

    private static int order(Indicator indicator) {
        String name = indicator.indicator();
        return name.startsWith("attendance") ? 0 : name.startsWith("completion") ? 1 : 2;
    }
}

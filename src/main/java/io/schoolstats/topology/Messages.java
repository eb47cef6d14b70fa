package io.schoolstats.topology;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.schoolstats.reference.School;
import io.schoolstats.report.Report;
import java.util.List;

/** The records that flow between the stages of the topology, on its repartition topics. */
public final class Messages {
    private Messages() {
    }

    /** Input of the school stage, keyed by school id. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = ReportArrived.class, name = "report"),
        @JsonSubTypes.Type(value = SchoolChanged.class, name = "school")
    })
    public sealed interface SchoolInput permits ReportArrived, SchoolChanged {
    }

    /** A valid report of the school. */
    public record ReportArrived(Report report) implements SchoolInput {
    }

    /** The school's reference row changed; null when the school was deleted. */
    public record SchoolChanged(School school) implements SchoolInput {
    }

    /** Input of a unit stage (district, province, cluster), keyed by the unit's code. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Deltas.class, name = "deltas"),
        @JsonSubTypes.Type(value = UnitChanged.class, name = "unit"),
        @JsonSubTypes.Type(value = MembershipChanged.class, name = "membership"),
        @JsonSubTypes.Type(value = ClusterChanged.class, name = "cluster")
    })
    public sealed interface UnitInput permits Deltas, UnitChanged, MembershipChanged, ClusterChanged {
    }

    /**
     * Signed changes to the unit's aggregates, period by period. Deltas a member sends to a
     * cluster name the member ({@code from}, {@code fromName}) so that the cluster can rank its
     * members; the list may then be empty when only the member's name changed.
     */
    public record Deltas(List<PeriodDelta> deltas, String from, String fromName) implements UnitInput {
        public Deltas {
            deltas = List.copyOf(deltas);
        }

        public Deltas(List<PeriodDelta> deltas) {
            this(deltas, null, null);
        }
    }

    /** A cluster's row for one school year changed (null: deleted); keyed by clusterId. */
    public record ClusterChanged(String schoolYear, io.schoolstats.reference.Cluster cluster) implements UnitInput {
    }

    /** A change of one aggregate: add {@code counts} (which may be negative) to {@code period}. */
    public record PeriodDelta(String period, long[] counts) {
    }

    /** The unit's reference row changed; null when the unit was deleted. */
    public record UnitChanged(UnitRef ref) implements UnitInput {
    }

    /** The unit joined ({@code member}) or left a cluster for one school year. */
    public record MembershipChanged(String clusterId, String schoolYear, boolean member) implements UnitInput {
    }

    /** What a unit stage needs of a reference row: its name and the unit it rolls up into. */
    public record UnitRef(String code, String name, String parent) {
    }

    /** Output of a unit stage before it is routed. */
    public sealed interface UnitOutput permits StatsChanged, Forward {
    }

    /** The unit's aggregate for a period is now {@code counts}; null when it has vanished. */
    public record StatsChanged(String scope, String code, String period, long[] counts) implements UnitOutput {
    }

    /** Input for a stage of another scope (a province, a cluster), keyed by that unit's code. */
    public record Forward(io.schoolstats.reference.Scope target, UnitInput input) implements UnitOutput {
    }

    /** A validated input record, or the envelope for {@code reports.rejected}. */
    public record Checked<V>(V value, byte[] rejection) {
        public boolean rejected() {
            return rejection != null;
        }
    }
}

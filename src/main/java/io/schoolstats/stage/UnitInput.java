package io.schoolstats.stage;

import io.schoolstats.reference.Cluster;
import java.util.List;

/** What a unit stage (local, province, cluster) reads, keyed by the unit's code. */
public sealed interface UnitInput permits UnitInput.Deltas, RowChanged, UnitInput.MembershipChanged,
        UnitInput.ClusterChanged {

    /**
     * Signed changes to the unit's aggregates. Deltas a member sends to a cluster name the
     * member ({@code from}) as of the cluster's school year, so that the cluster can rank and
     * label its members; the list may be empty when only the member's name changed.
     */
    record Deltas(List<PeriodDelta> deltas, Member from) implements UnitInput {
        public Deltas {
            deltas = List.copyOf(deltas);
        }
    }

    /** A cluster's member as of one school year: its code, own scope label and name. */
    record Member(String code, String schoolYear, String scope, String name) {
    }

    /** The unit joined ({@code member}) or left a cluster for one school year. */
    record MembershipChanged(String clusterId, String schoolYear, boolean member) implements UnitInput {
    }

    /** A cluster's row for one school year changed (null: deleted); keyed by clusterId. */
    record ClusterChanged(String schoolYear, Cluster cluster) implements UnitInput {
    }
}

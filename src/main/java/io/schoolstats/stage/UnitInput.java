package io.schoolstats.stage;

import io.schoolstats.reference.Cluster;
import java.util.List;

/** What a unit stage (local, province, cluster) reads, keyed by the unit's code. */
public sealed interface UnitInput permits UnitInput.Deltas, UnitInput.Shares, RowChanged, UnitInput.MembershipChanged,
        UnitInput.ClusterChanged, UnitInput.SchemeChanged, UnitInput.ScoreArrived {

    /** Signed changes to the unit's aggregates, from a school's new winning report or its rows. */
    record Deltas(List<PeriodDelta> deltas) implements UnitInput {
        public Deltas {
            deltas = List.copyOf(deltas);
        }
    }

    /**
     * A child unit's whole share of some of the receiving unit's aggregates, as it is now (all
     * zeros: it has none any more). Idempotent: the receiver keeps each child's latest share and
     * sums them, so the same share sent twice changes nothing. A share sent to a cluster names the
     * member ({@code member}) as of the cluster's school year, so that the cluster can rank and label
     * its members; the list may be empty when only the member's name changed.
     */
    record Shares(String from, List<PeriodDelta> shares, Member member) implements UnitInput {
        public Shares {
            shares = List.copyOf(shares);
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

    /** A cluster's scoring scheme for one school year changed (null: deleted); keyed by clusterId. */
    record SchemeChanged(String schoolYear, io.schoolstats.reference.EmulationScheme scheme) implements UnitInput {
    }

    /**
     * An evaluator's score, valid on its own; keyed by clusterId. The cluster stage keeps the
     * winning revision whatever the scheme says: the league counts it while the scheme and the
     * cluster's members of its year admit it (like a report of a school not yet registered).
     */
    record ScoreArrived(io.schoolstats.report.EmulationScore score) implements UnitInput {
    }
}

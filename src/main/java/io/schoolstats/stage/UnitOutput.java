package io.schoolstats.stage;

import io.schoolstats.reference.Scope;
import io.schoolstats.stats.Period;

/** What a unit stage emits, before the topology routes it. */
public sealed interface UnitOutput permits UnitOutput.StatsChanged, UnitOutput.Forward,
        UnitOutput.Rejected {

    /** The unit's aggregate for a period is now {@code counts}; null when it has vanished. */
    record StatsChanged(Scope scope, String code, Period period, long[] counts) implements UnitOutput {
    }

    /** Input for a unit of another stage, keyed by that unit's code. */
    record Forward(Stage target, UnitInput input) implements UnitOutput {
    }

    /** An input refused by the stage: the envelope for {@code reports.rejected} and its record key. */
    record Rejected(String key, byte[] envelope) implements UnitOutput {
    }
}

package io.schoolstats.stage;

import io.schoolstats.reference.Scope;
import io.schoolstats.stats.Period;

/** What a unit stage emits, before the topology routes it. */
public sealed interface UnitOutput permits UnitOutput.StatsChanged, UnitOutput.Forward {

    /** The unit's aggregate for a period is now {@code counts}; null when it has vanished. */
    record StatsChanged(Scope scope, String code, Period period, long[] counts) implements UnitOutput {
    }

    /** Input for a unit of another stage, keyed by that unit's code. */
    record Forward(Stage target, UnitInput input) implements UnitOutput {
    }
}

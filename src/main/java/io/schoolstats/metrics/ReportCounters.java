package io.schoolstats.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.schoolstats.report.EmulationScore;
import io.schoolstats.report.ReportType;
import io.schoolstats.topology.ReportOutcomes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code schoolstats_reports_total{type,outcome}}: every report read, by what became of it. */
public final class ReportCounters implements ReportOutcomes {
    private final Map<String, Map<Outcome, Counter>> counters = new HashMap<>();

    public ReportCounters(MeterRegistry registry) {
        List<String> types = new ArrayList<>();
        for (ReportType type : ReportType.values()) {
            types.add(type.label());
        }
        types.add(EmulationScore.LABEL);
        for (String type : types) {
            Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                // Registered up front: a series at 0 tells a dashboard "none yet", not "unknown".
                byOutcome.put(outcome, Counter.builder("schoolstats.reports")
                        .description("reports read, by type and outcome (accepted, duplicate, stale, rejected)")
                        .tag("type", type).tag("outcome", outcome.label()).register(registry));
            }
            counters.put(type, byOutcome);
        }
    }

    @Override
    public void record(String type, Outcome outcome) {
        counters.get(type).get(outcome).increment();
    }
}

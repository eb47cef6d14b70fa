package io.schoolstats.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.schoolstats.report.ReportType;
import io.schoolstats.topology.ReportOutcomes;
import java.util.EnumMap;
import java.util.Map;

/** {@code schoolstats_reports_total{type,outcome}}: every report read, by what became of it. */
public final class ReportCounters implements ReportOutcomes {
    private final Map<ReportType, Map<Outcome, Counter>> counters = new EnumMap<>(ReportType.class);

    public ReportCounters(MeterRegistry registry) {
        for (ReportType type : ReportType.values()) {
            Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                // Registered up front: a series at 0 tells a dashboard "none yet", not "unknown".
                byOutcome.put(outcome, Counter.builder("schoolstats.reports")
                        .description("reports read, by type and outcome (accepted, duplicate, stale, rejected)")
                        .tag("type", type.label()).tag("outcome", outcome.label()).register(registry));
            }
            counters.put(type, byOutcome);
        }
    }

    @Override
    public void record(ReportType type, Outcome outcome) {
        counters.get(type).get(outcome).increment();
    }
}

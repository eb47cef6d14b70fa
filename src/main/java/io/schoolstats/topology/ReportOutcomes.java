package io.schoolstats.topology;

import io.schoolstats.report.ReportType;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the topology reports what became of every report it read. Counted in the process (not
 * in a store): a Prometheus counter is per process anyway, and after a crash the records
 * processed again are counted again, as any counter of work done would.
 */
public interface ReportOutcomes {
    enum Outcome {
        ACCEPTED, DUPLICATE, STALE, REJECTED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @param type a report type's label ({@code attendance} ...), or {@code emulation_score} */
    void record(String type, Outcome outcome);

    default void record(ReportType type, Outcome outcome) {
        record(type.label(), outcome);
    }

    static ReportOutcomes ignore() {
        return (type, outcome) -> { };
    }

    /** A thread-safe tally in memory (tests and embedding; the service counts in Micrometer). */
    final class Tally implements ReportOutcomes {
        private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        @Override
        public void record(String type, Outcome outcome) {
            counts.computeIfAbsent(type + "/" + outcome.label(), k -> new LongAdder()).increment();
        }

        public long get(ReportType type, Outcome outcome) {
            return get(type.label(), outcome);
        }

        public long get(String type, Outcome outcome) {
            LongAdder adder = counts.get(type + "/" + outcome.label());
            return adder == null ? 0 : adder.sum();
        }
    }
}

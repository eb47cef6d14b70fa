package io.schoolstats.report;

import java.util.Locale;
import java.util.Optional;

/** The three kinds of school report, each with its own input topic and JSON Schema. */
public enum ReportType {
    ATTENDANCE("reports.attendance"),
    COMPLETION("reports.completion"),
    EXAM("reports.exam");

    private final String topic;

    ReportType(String topic) {
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    /** The lower-case name used in URLs, metrics labels and file names: {@code attendance}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReportType> fromLabel(String label) {
        for (ReportType type : values()) {
            if (type.label().equals(label)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}

package io.schoolstats.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * When a report reached us (its Kafka record timestamp, or the time of the HTTP request) and the
 * deployment's time zone. A report's {@code submittedAt} defaults to it, and the bounds of what a
 * report may say about dates (CONTRACT 2b) are measured from it, so that a report is judged the
 * same way on every replay.
 *
 * @param at   null when the record has no timestamp: then only the lower bounds apply
 * @param zone where "today" is
 */
public record Received(Instant at, ZoneId zone) {
    /** Schools report in Vietnam's time. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Ho_Chi_Minh");

    public Received {
        zone = zone == null ? DEFAULT_ZONE : zone;
    }

    /** Nothing known about arrival: only the fixed bounds apply. */
    public static Received unknown() {
        return new Received(null, DEFAULT_ZONE);
    }

    public static Received at(Instant at, ZoneId zone) {
        return new Received(at, zone);
    }

    /** The calendar day of an instant in the deployment's time zone. */
    public LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, zone);
    }
}

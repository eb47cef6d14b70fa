package io.schoolstats.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Violation.Reason;
import java.io.IOException;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one validator of school reports: every rule of the contract, each failure named. Used by
 * the stream topology and by HTTP ingestion alike, so that what one accepts the other accepts.
 */
public final class ReportParser {
    private static final Pattern EXAM_CODE = Pattern.compile("[A-Z0-9_]{1,40}");
    public static final int SCORE_BANDS = 10;

    private ReportParser() {
    }

    /** The earliest school year a report may be about: earlier is a typing mistake, not history we hold. */
    public static final String EARLIEST_SCHOOL_YEAR = "2000-2001";
    private static final int EARLIEST_START = 2000;
    /** How far a school's clock ({@code submittedAt}) may run ahead of ours before we stop believing it. */
    public static final Duration CLOCK_LEEWAY = Duration.ofDays(1);

    /** Parses raw bytes of one report: malformed JSON is a violation too, never an exception. */
    public static Parsed<Report> parse(ReportType type, byte[] bytes) {
        return parse(type, bytes, Received.unknown());
    }

    /** As {@link #parse(ReportType, byte[])}, for a report received as {@code received} says. */
    public static Parsed<Report> parse(ReportType type, byte[] bytes, Received received) {
        Parsed<JsonNode> node = tree(bytes);
        return node.isValid() ? parse(type, node.value(), received) : Parsed.invalid(node.violations());
    }

    /** A record's value as a JSON tree; no value or malformed JSON is a violation, never an exception. */
    static Parsed<JsonNode> tree(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Parsed.invalid(new Violation(null, Reason.MALFORMED_JSON, "the record has no value", "empty"));
        }
        try {
            return Parsed.valid(Json.MAPPER.readTree(bytes));
        } catch (JacksonException e) {
            return Parsed.invalid(new Violation(null, Reason.MALFORMED_JSON,
                    "not valid JSON: " + e.getOriginalMessage(), e.getOriginalMessage()));
        } catch (IOException e) {
            return Parsed.invalid(new Violation(null, Reason.MALFORMED_JSON, "not valid JSON: " + Quote.of(e.getMessage()),
                    e.getMessage()));
        }
    }

    /**
     * Validates one report given as a JSON tree. The time it was received stands in for an absent
     * submittedAt, and bounds its dates (CONTRACT 2b).
     */
    public static Parsed<Report> parse(ReportType type, JsonNode node, Received received) {
        if (node == null || !node.isObject()) {
            return Parsed.invalid(new Violation(null, Reason.NOT_AN_OBJECT,
                    "a report must be a JSON object, got " + (node == null ? "nothing" : Fields.describe(node))));
        }
        Fields f = new Fields(node);
        String schoolId = f.id("schoolId");
        long revision = revision(f);
        Instant submittedAt = submittedAt(f, received);
        Report report = switch (type) {
            case ATTENDANCE -> attendance(f, schoolId, revision, submittedAt);
            case COMPLETION -> completion(f, schoolId, revision, submittedAt);
            case EXAM -> exam(f, schoolId, revision, submittedAt);
        };
        if (f.ok()) {
            bounds(f, report, received);
        }
        return f.ok() ? Parsed.valid(report) : Parsed.invalid(f.violations());
    }

    /**
     * What a valid report may say about time (CONTRACT 2b): no attendance later than the day after
     * it was submitted, no school year after the next one nor before {@value #EARLIEST_SCHOOL_YEAR}.
     * One report dated 9999 would otherwise become every unit's "current day", and every new year
     * a dozen series per unit for ever.
     */
    private static void bounds(Fields f, Report report, Received received) {
        Instant submitted = report.submittedAt();
        LocalDate submittedDay = submitted == null ? null : received.day(submitted);
        if (report instanceof AttendanceReport a) {
            if (submittedDay != null && a.date().isAfter(submittedDay.plusDays(1))) {
                f.fail("date", Reason.DATE_IN_FUTURE, "'date' " + a.date() + " is later than the day after the report "
                        + "was submitted (" + submittedDay + ", " + received.zone() + ")", a.date(), submittedDay);
            } else if (SchoolYear.startOf(a.date()) < EARLIEST_START) {
                f.fail("date", Reason.SCHOOL_YEAR_OUT_OF_RANGE, "'date' " + a.date() + " is before the school year "
                        + EARLIEST_SCHOOL_YEAR, a.date(), EARLIEST_SCHOOL_YEAR);
            }
            return;
        }
        String year = report instanceof CompletionReport c ? c.schoolYear() : ((ExamReport) report).schoolYear();
        schoolYearBounds(f, year, submittedDay);
    }

    /**
     * A school year no later than the one after the submission's day (when known) and not before
     * {@value #EARLIEST_SCHOOL_YEAR}.
     */
    static void schoolYearBounds(Fields f, String year, LocalDate submittedDay) {
        // Years as numbers: "999-1000" sorts after "2000-2001" as text.
        Integer latestStart = submittedDay == null ? null : SchoolYear.startOf(submittedDay) + 1;
        int start = SchoolYear.start(year);
        if (start < EARLIEST_START) {
            f.fail("schoolYear", Reason.SCHOOL_YEAR_OUT_OF_RANGE, "'schoolYear' " + year + " is before "
                    + EARLIEST_SCHOOL_YEAR, year, EARLIEST_SCHOOL_YEAR);
        } else if (latestStart != null && start > latestStart) {
            String latest = latestStart + "-" + (latestStart + 1);
            f.fail("schoolYear", Reason.SCHOOL_YEAR_OUT_OF_RANGE, "'schoolYear' " + year + " is later than "
                    + latest + ", the school year after the one the report was submitted in", year, latest);
        }
    }


    static long revision(Fields f) {
        Long revision = f.has("revision") ? optionalRevision(f) : Long.valueOf(1);
        return revision == null ? -1 : revision;
    }

    private static Long optionalRevision(Fields f) {
        int before = f.violations().size();
        Long value = f.optionalCount("revision");
        if (f.violations().size() > before) {
            return null;
        }
        if (value < 1) {
            f.fail("revision", Reason.INVALID_REVISION, "'revision' must be >= 1, got " + value, value);
            return null;
        }
        return value;
    }

    static Instant submittedAt(Fields f, Received received) {
        if (!f.has("submittedAt")) {
            return received.at();
        }
        String text = f.string("submittedAt");
        if (text == null) {
            return null;
        }
        Instant submitted;
        try {
            // To the millisecond, as it is stored: its timeliness must be judged the same before and after.
            submitted = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            f.fail("submittedAt", Reason.INVALID_SUBMITTED_AT,
                    "'submittedAt' must be an ISO-8601 instant with offset such as 2024-03-05T07:45:00+07:00");
            return null;
        }
        // A school's clock may say anything: believe it up to a day ahead of the time we received
        // the report, so that a wrong clock cannot carry its dates into the future.
        if (received.at() != null && submitted.isAfter(received.at().plus(CLOCK_LEEWAY))) {
            f.fail("submittedAt", Reason.SUBMITTED_AT_IN_FUTURE, "'submittedAt' " + submitted + " is more than a day "
                    + "after the report was received (" + received.at() + "): check the sending system's clock",
                    submitted, received.at());
            return null;
        }
        return submitted;
    }

    private static AttendanceReport attendance(Fields f, String schoolId, long revision, Instant submittedAt) {
        LocalDate date = null;
        String text = f.string("date");
        if (text != null) {
            try {
                date = isoDate(text);
            } catch (DateTimeException e) {
                f.fail("date", Reason.INVALID_DATE, "'date' must be a real calendar date YYYY-MM-DD, got '" + Quote.of(text) + "'",
                        text);
            }
        }
        long enrolled = f.count("enrolled");
        long present = f.count("present");
        if (enrolled >= 0 && present > enrolled) {
            f.fail("present", Reason.PRESENT_EXCEEDS_ENROLLED,
                    "'present' (" + present + ") must not exceed 'enrolled' (" + enrolled + ")", present, enrolled);
        }
        return f.ok() ? new AttendanceReport(schoolId, date, enrolled, present, revision, submittedAt) : null;
    }

    /**
     * A date written {@code YYYY-MM-DD} exactly (ASCII digits, no sign, no other form), as
     * {@code LocalDate.parse} would read it but by hand: every attendance report has one, and the
     * pattern and the formatter were a fifth of parsing it.
     *
     * @throws DateTimeException when it is not that form or not a real calendar date
     */
    static LocalDate isoDate(String text) {
        if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            throw new DateTimeException(text);
        }
        return LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10));
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new DateTimeException(text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static CompletionReport completion(Fields f, String schoolId, long revision, Instant submittedAt) {
        String schoolYear = f.schoolYear("schoolYear");
        Level level = null;
        String levelText = f.string("level");
        if (levelText != null) {
            try {
                level = Level.valueOf(levelText);
            } catch (IllegalArgumentException e) {
                f.fail("level", Reason.INVALID_LEVEL, "'level' must be one of PRESCHOOL, PRIMARY, "
                        + "LOWER_SECONDARY, UPPER_SECONDARY, got '" + Quote.of(levelText) + "'", levelText);
            }
        }
        long assessed = f.count("assessed");
        long completed = f.count("completed");
        Long conductGood = f.optionalCount("conductGood");
        if (assessed >= 0 && completed > assessed) {
            f.fail("completed", Reason.COMPLETED_EXCEEDS_ASSESSED,
                    "'completed' (" + completed + ") must not exceed 'assessed' (" + assessed + ")", completed, assessed);
        }
        if (assessed >= 0 && conductGood != null && conductGood > assessed) {
            f.fail("conductGood", Reason.CONDUCT_GOOD_EXCEEDS_ASSESSED,
                    "'conductGood' (" + conductGood + ") must not exceed 'assessed' (" + assessed + ")", conductGood,
                    assessed);
        }
        return f.ok()
                ? new CompletionReport(schoolId, schoolYear, level, assessed, completed, conductGood, revision, submittedAt)
                : null;
    }

    private static ExamReport exam(Fields f, String schoolId, long revision, Instant submittedAt) {
        String schoolYear = f.schoolYear("schoolYear");
        String exam = f.string("exam");
        if (exam != null && !EXAM_CODE.matcher(exam).matches()) {
            f.fail("exam", Reason.INVALID_EXAM_CODE,
                    "'exam' must be an upper-case code of 1 to 40 letters, digits or '_', such as THPT_GRADUATION", exam);
        }
        long candidates = f.count("candidates");
        long passed = f.count("passed");
        if (candidates >= 0 && passed > candidates) {
            f.fail("passed", Reason.PASSED_EXCEEDS_CANDIDATES,
                    "'passed' (" + passed + ") must not exceed 'candidates' (" + candidates + ")", passed, candidates);
        }
        List<Long> bands = scoreBands(f);
        ExamReport.Awards awards = awards(f);
        if (awards != null && candidates >= 0 && awards.total() > candidates) {
            f.fail("awards", Reason.AWARDS_EXCEED_CANDIDATES,
                    "the awards add up to " + awards.total() + ", more than 'candidates' (" + candidates + ")",
                    awards.total(), candidates);
        }
        return f.ok()
                ? new ExamReport(schoolId, schoolYear, exam, candidates, passed, bands, awards, revision, submittedAt)
                : null;
    }

    private static List<Long> scoreBands(Fields f) {
        if (!f.has("scoreBands")) {
            return null;
        }
        JsonNode node = f.node("scoreBands");
        if (!node.isArray()) {
            f.fail("scoreBands", Reason.WRONG_TYPE, "'scoreBands' must be an array of 10 counts, got "
                    + Fields.describe(node), "array");
            return null;
        }
        if (node.size() != SCORE_BANDS) {
            f.fail("scoreBands", Reason.SCORE_BANDS_LENGTH,
                    "'scoreBands' must hold exactly 10 counts ([0,1) ... [9,10]), got " + node.size(), node.size());
            return null;
        }
        List<Long> bands = new ArrayList<>(SCORE_BANDS);
        for (int i = 0; i < SCORE_BANDS; i++) {
            bands.add(f.count("scoreBands[" + i + "]", node.get(i)));
        }
        return bands;
    }

    private static ExamReport.Awards awards(Fields f) {
        if (!f.has("awards")) {
            return null;
        }
        JsonNode node = f.node("awards");
        if (!node.isObject()) {
            f.fail("awards", Reason.WRONG_TYPE, "'awards' must be an object with first, second, third, consolation, got "
                    + Fields.describe(node), "object");
            return null;
        }
        Fields inner = new Fields(node);
        Long first = inner.optionalCount("first");
        Long second = inner.optionalCount("second");
        Long third = inner.optionalCount("third");
        Long consolation = inner.optionalCount("consolation");
        for (Violation v : inner.violations()) {
            f.fail("awards." + v.field(), v.reason(), v.message().replace("'" + v.field() + "'", "'awards." + v.field() + "'"),
                    v.args().toArray());
        }
        if (!inner.ok()) {
            return null;
        }
        return new ExamReport.Awards(orZero(first), orZero(second), orZero(third), orZero(consolation));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}

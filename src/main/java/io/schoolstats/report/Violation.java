package io.schoolstats.report;

/**
 * One broken rule of a report or reference row: the field at fault (null for the whole
 * document), a machine-readable reason, a message for people (English) and the values the
 * message quotes, from which {@link Messages} words it in another language.
 */
public record Violation(String field, Reason reason, String message, java.util.List<String> args) {

    public Violation {
        // The values a message quotes, cut as every quote of a submitted value is (the Vietnamese
        // wording is built from them).
        args = args == null ? java.util.List.of() : args.stream().map(Quote::of).toList();
    }

    public Violation(String field, Reason reason, String message, Object... args) {
        this(field, reason, message, strings(args));
    }

    private static java.util.List<String> strings(Object... args) {
        java.util.List<String> out = new java.util.ArrayList<>(args.length);
        for (Object a : args) {
            out.add(String.valueOf(a));
        }
        return out;
    }

    /** The message in the language of the locale: Vietnamese for "vi", English otherwise. */
    public String message(java.util.Locale locale) {
        return Messages.localize(this, locale);
    }

    /** Machine-readable reasons, written in snake case in {@code reports.rejected}. */
    public enum Reason {
        MALFORMED_JSON,
        NOT_AN_OBJECT,
        MISSING_FIELD,
        WRONG_TYPE,
        NEGATIVE_COUNT,
        TOO_LARGE,
        TOO_LONG,
        INVALID_REVISION,
        INVALID_ID,
        INVALID_DATE,
        INVALID_SCHOOL_YEAR,
        INVALID_LEVEL,
        INVALID_EXAM_CODE,
        INVALID_SUBMITTED_AT,
        INVALID_SCOPE,
        PRESENT_EXCEEDS_ENROLLED,
        COMPLETED_EXCEEDS_ASSESSED,
        CONDUCT_GOOD_EXCEEDS_ASSESSED,
        PASSED_EXCEEDS_CANDIDATES,
        AWARDS_EXCEED_CANDIDATES,
        SCORE_BANDS_LENGTH,
        SCHEMA_VIOLATION,
        KEY_MISMATCH,
        CONFLICTING_FIELDS,
        MISSING_KEY,
        DATE_IN_FUTURE,
        SCHOOL_YEAR_OUT_OF_RANGE,
        SUBMITTED_AT_IN_FUTURE,
        UNKNOWN_EXAM,
        INVALID_TEXT,
        INVALID_CRITERION,
        INVALID_POINTS,
        NO_SCHEME,
        NOT_A_MEMBER,
        UNKNOWN_CRITERION,
        COMPUTED_CRITERION,
        POINTS_OVER_MAXIMUM;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

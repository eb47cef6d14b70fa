package io.schoolstats.report;

/**
 * One broken rule of a report or reference row: the field at fault (null for the whole
 * document), a machine-readable reason and a message for people.
 */
public record Violation(String field, Reason reason, String message) {

    /** Machine-readable reasons, written in snake case in {@code reports.rejected}. */
    public enum Reason {
        MALFORMED_JSON,
        NOT_AN_OBJECT,
        MISSING_FIELD,
        WRONG_TYPE,
        NEGATIVE_COUNT,
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
        KEY_MISMATCH,
        MISSING_KEY;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

package io.schoolstats.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Violation.Reason;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads typed fields out of a JSON object and collects every violation instead of stopping at
 * the first, so that an HTTP client sees all of its mistakes at once.
 */
public final class Fields {
    /** Longest identifier, in characters (code points). */
    public static final int MAX_ID = 64;
    /** Longest text field (names): longer is a mistake, and would not fit internal records. */
    public static final int MAX_TEXT = 500;
    /** Largest count: far above any school's, low enough that no sum of them can overflow. */
    public static final long MAX_COUNT = Integer.MAX_VALUE;

    private final JsonNode object;
    private final List<Violation> violations = new ArrayList<>();

    public Fields(JsonNode object) {
        this.object = object;
    }

    public List<Violation> violations() {
        return violations;
    }

    public boolean ok() {
        return violations.isEmpty();
    }

    public void fail(String field, Reason reason, String message, Object... args) {
        violations.add(new Violation(field, reason, message, args));
    }

    public JsonNode node(String field) {
        return object.get(field);
    }

    public boolean has(String field) {
        JsonNode node = object.get(field);
        return node != null && !node.isNull();
    }

    /** A required string; null (with a violation) when missing or not a string. */
    public String string(String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            fail(field, Reason.MISSING_FIELD, "'" + field + "' is required");
            return null;
        }
        if (!node.isTextual()) {
            fail(field, Reason.WRONG_TYPE, "'" + field + "' must be a string, got " + describe(node), "string");
            return null;
        }
        if (node.textValue().length() > MAX_TEXT) {
            fail(field, Reason.TOO_LONG, "'" + field + "' must be at most " + MAX_TEXT + " characters", MAX_TEXT);
            return null;
        }
        String value = normalize(node.textValue());
        if (value.length() > MAX_TEXT) {
            // NFC can lengthen a text (up to three times): the bound holds for what is kept.
            fail(field, Reason.TOO_LONG, "'" + field + "' must be at most " + MAX_TEXT + " characters", MAX_TEXT);
            return null;
        }
        int invisible = invisibleAt(value);
        if (invisible >= 0) {
            fail(field, Reason.INVALID_TEXT, "'" + field + "' must not hold control, format or bidirectional characters "
                    + "(found " + String.format("U+%04X", value.codePointAt(invisible)) + " at position " + invisible + ")",
                    String.format("U+%04X", value.codePointAt(invisible)), invisible);
            return null;
        }
        return value;
    }

    /**
     * Text in Unicode NFC: "Trường" typed on a Mac (NFD) and on Windows (NFC) are one name and one
     * id, never two series on a dashboard.
     */
    public static String normalize(String text) {
        // ASCII (most ids) is NFC as it is: the normalizer's check allocated buffers for every field.
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return Normalizer.isNormalized(text, Normalizer.Form.NFC) ? text
                        : Normalizer.normalize(text, Normalizer.Form.NFC);
            }
        }
        return text;
    }

    /**
     * The index of the first character that would not show, or would reorder what follows (control,
     * format such as U+200B zero width space, bidirectional such as U+202E, line separators,
     * unpaired surrogates, unassigned and private-use code points), else -1. Such characters make
     * two ids that look the same, or a name that displays as another.
     */
    public static int invisibleAt(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            switch (Character.getType(cp)) {
                case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                     Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> {
                    return i;
                }
                default -> i += Character.charCount(cp);
            }
        }
        return -1;
    }

    /** True for an identifier: 1 to 64 characters in NFC without '|' or invisible characters. */
    public static boolean isId(String value) {
        // By hand, not by a pattern: every report has one, and a matcher was more than a tenth of parsing it.
        // A control character is one that would not show (invisibleAt).
        return value != null && !value.isEmpty() && value.length() <= 2 * MAX_ID && value.indexOf('|') < 0
                && value.codePointCount(0, value.length()) <= MAX_ID && invisibleAt(value) < 0
                && normalize(value) == value; // the same string back: it was NFC already
    }

    /** A required non-empty identifier without '|' or control characters, at most 64 characters. */
    public String id(String field) {
        String value = string(field);
        if (value != null && !isId(value)) {
            fail(field, Reason.INVALID_ID,
                    "'" + field + "' must be 1 to 64 characters without '|' or control characters");
            return null;
        }
        return value;
    }

    /** A required count: a JSON integer >= 0. Returns -1 (with a violation) when invalid. */
    public long count(String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            fail(field, Reason.MISSING_FIELD, "'" + field + "' is required");
            return -1;
        }
        return count(field, node);
    }

    /** An optional count: null when absent, -1 (with a violation) when invalid. */
    public Long optionalCount(String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        return count(field, node);
    }

    long count(String field, JsonNode node) {
        if (node.isIntegralNumber() && !node.canConvertToLong()) {
            fail(field, Reason.TOO_LARGE, "'" + field + "' must be at most " + MAX_COUNT + ", got " + Quote.of(node.asText()),
                    node.asText());
            return -1;
        }
        if (!node.isIntegralNumber()) {
            fail(field, Reason.WRONG_TYPE, "'" + field + "' must be a whole number, got " + describe(node), "integer");
            return -1;
        }
        long value = node.longValue();
        if (value < 0) {
            fail(field, Reason.NEGATIVE_COUNT, "'" + field + "' must be >= 0, got " + value, value);
            return -1;
        }
        if (value > MAX_COUNT) {
            fail(field, Reason.TOO_LARGE, "'" + field + "' must be at most " + MAX_COUNT + ", got " + value, value);
            return -1;
        }
        return value;
    }

    /** A required school year of the form YYYY-YYYY+1. */
    public String schoolYear(String field) {
        String value = string(field);
        if (value != null && !SchoolYear.isValid(value)) {
            fail(field, Reason.INVALID_SCHOOL_YEAR,
                    "'" + field + "' must look like 2023-2024 (two consecutive years), got '" + Quote.of(value) + "'", value);
            return null;
        }
        return value;
    }

    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "the string \"" + Quote.of(node.textValue()) + "\"";
            case NUMBER -> "the number " + Quote.of(node.asText());
            case BOOLEAN -> "the boolean " + node.asText();
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}

package io.schoolstats.report;

/**
 * A submitted value as an error message may quote it: at most {@value #MAX_CHARS} characters,
 * then an ellipsis. Every message that echoes what a client sent goes through here, so that a
 * 400,000-digit count or a 10,000-character name makes a short answer, not a copy of itself.
 */
public final class Quote {
    /** The most characters of one value a message quotes (CONTRACT section 4). */
    public static final int MAX_CHARS = 100;

    private Quote() {
    }

    /** The value, cut to {@value #MAX_CHARS} characters with "…" when longer; "null" for null. */
    public static String of(Object value) {
        String text = String.valueOf(value);
        if (text.length() <= MAX_CHARS) {
            return text;
        }
        int end = MAX_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never cut a character in two
        }
        return text.substring(0, end) + "…";
    }
}

package io.schoolstats.reference;

/**
 * The key of a reference row: an id alone for a timeless row ({@code 008}), or the id and the
 * school year the row is for ({@code 008|2023-2024}). Ids never contain '|' (the validator
 * refuses them), so the text form is unambiguous.
 */
public record RowKey(String id, String schoolYear) {
    private static final char SEPARATOR = '|';

    public static RowKey timeless(String id) {
        return new RowKey(id, null);
    }

    public boolean timeless() {
        return schoolYear == null;
    }

    public String encode() {
        return schoolYear == null ? id : id + SEPARATOR + schoolYear;
    }

    /** The key of a topic record: {@code id} or {@code id|schoolYear}. */
    public static RowKey decode(String key) {
        int bar = key.indexOf(SEPARATOR);
        return bar < 0 ? new RowKey(key, null) : new RowKey(key.substring(0, bar), key.substring(bar + 1));
    }

    @Override
    public String toString() {
        return encode();
    }
}

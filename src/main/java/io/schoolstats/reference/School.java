package io.schoolstats.reference;

/**
 * A registered school: it belongs to a local unit ({@code district}: a district or commune
 * code) or, with no unit between, directly to a {@code province}; exactly one of the two is
 * set. {@code schoolYear} is null for a timeless row.
 */
public record School(String schoolId, String name, String level, String district, String province,
                     String schoolYear) {
    public RowKey key() {
        return new RowKey(schoolId, schoolYear);
    }
}

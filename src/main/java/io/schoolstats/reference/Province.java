package io.schoolstats.reference;

/** A province or centrally-run city (its Sở GD&ĐT). {@code schoolYear} is null for a timeless row. */
public record Province(String code, String name, String schoolYear) {
    public RowKey key() {
        return new RowKey(code, schoolYear);
    }
}

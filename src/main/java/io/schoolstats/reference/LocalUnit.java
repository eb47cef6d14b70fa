package io.schoolstats.reference;

/**
 * A district or a commune (its {@code scope}) and the province it belongs to: a row of
 * {@code reference.districts}. {@code schoolYear} is null for a timeless row.
 */
public record LocalUnit(String code, String name, String province, Scope scope, String schoolYear) {
    public RowKey key() {
        return new RowKey(code, schoolYear);
    }
}

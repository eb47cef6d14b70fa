package io.schoolstats.topology;

/** A validated input record's value, or the envelope for {@code reports.rejected}. */
record Validated<V>(V value, byte[] rejection) {
    boolean rejected() {
        return rejection != null;
    }
}

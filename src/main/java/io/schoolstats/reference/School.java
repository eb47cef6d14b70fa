package io.schoolstats.reference;

/** A registered school and the district office it belongs to. */
public record School(String schoolId, String name, String level, String district) {
}

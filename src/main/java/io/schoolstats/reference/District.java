package io.schoolstats.reference;

/** A district education office (Phòng GD&ĐT) and the province it belongs to. */
public record District(String code, String name, String province) {
}

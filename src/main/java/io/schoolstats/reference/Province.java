package io.schoolstats.reference;

/** A provincial education department (Sở GD&ĐT). */
public record Province(String code, String name) {
}

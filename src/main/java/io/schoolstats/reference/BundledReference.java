package io.schoolstats.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Json;
import io.schoolstats.report.Parsed;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The reference data shipped in the jar (see {@code reference/SOURCES.md}): Vietnam's 63
 * provinces, Hanoi's 30 districts, Hanoi's clusters and MOET Cluster 4. Schools are not bundled.
 */
public record BundledReference(List<Province> provinces, List<District> districts, List<Cluster> clusters) {

    public static BundledReference load() {
        return new BundledReference(
                read("provinces.json", ReferenceParser::province),
                read("districts.json", ReferenceParser::district),
                read("clusters.json", ReferenceParser::cluster));
    }

    private static <T> List<T> read(String file, Function<JsonNode, Parsed<T>> parser) {
        String path = "/reference/" + file;
        try (InputStream in = BundledReference.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + path);
            }
            List<T> rows = new ArrayList<>();
            for (JsonNode node : Json.MAPPER.readTree(in)) {
                Parsed<T> parsed = parser.apply(node);
                if (!parsed.isValid()) {
                    throw new IllegalStateException(path + " has an invalid row " + node + ": " + parsed.violations());
                }
                rows.add(parsed.value());
            }
            return List.copyOf(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

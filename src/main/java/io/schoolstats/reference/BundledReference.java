package io.schoolstats.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Json;
import io.schoolstats.report.Parsed;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The reference data shipped in the jar (see {@code reference/SOURCES.md}). Two maps:
 * <ul>
 *   <li>timeless rows: the 63 provinces and Hanoi's 30 districts as they were until June 2025
 *       (the frame of school years 2023-2024 and 2024-2025);</li>
 *   <li>year rows for 2025-2026, after the reform of 1 July 2025: the 34 provinces and Hanoi's
 *       126 communes and wards, and which former provinces each new one absorbed.</li>
 * </ul>
 * Clusters are per school year (Hanoi's and MOET Cluster 4 for 2023-2024 and 2024-2025, and one
 * of each map for 2025-2026). Schools are not bundled.
 */
public record BundledReference(List<Province> provinces, List<LocalUnit> localUnits, List<Cluster> clusters,
                               Map<String, String> mergedInto) {
    /** The first school year of the map of 1 July 2025. */
    public static final String REFORM_YEAR = "2025-2026";

    public static BundledReference load() {
        List<Province> provinces = new ArrayList<>(read("provinces.json", ReferenceParser::province));
        provinces.addAll(read(REFORM_YEAR + "/provinces.json", ReferenceParser::province));
        List<LocalUnit> units = new ArrayList<>(read("districts.json", ReferenceParser::localUnit));
        units.addAll(read(REFORM_YEAR + "/communes.json", ReferenceParser::localUnit));
        Map<String, String> mergedInto = new LinkedHashMap<>();
        for (JsonNode row : tree(REFORM_YEAR + "/provinces.json")) {
            row.get("formerProvinces").forEach(former -> mergedInto.put(former.textValue(), row.get("code").textValue()));
        }
        return new BundledReference(List.copyOf(provinces), List.copyOf(units),
                read("clusters.json", ReferenceParser::cluster), Map.copyOf(mergedInto));
    }

    /** The rows of one school year (null: the timeless rows). */
    public static <T> List<T> ofYear(List<T> rows, Function<T, RowKey> key, String schoolYear) {
        return rows.stream().filter(r -> java.util.Objects.equals(key.apply(r).schoolYear(), schoolYear)).toList();
    }

    private static <T> List<T> read(String file, Function<JsonNode, Parsed<T>> parser) {
        String path = "/reference/" + file;
        List<T> rows = new ArrayList<>();
        for (JsonNode node : tree(file)) {
            Parsed<T> parsed = parser.apply(node);
            if (!parsed.isValid()) {
                throw new IllegalStateException(path + " has an invalid row " + node + ": " + parsed.violations());
            }
            rows.add(parsed.value());
        }
        return List.copyOf(rows);
    }

    private static JsonNode tree(String file) {
        String path = "/reference/" + file;
        try (InputStream in = BundledReference.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + path);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

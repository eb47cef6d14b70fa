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
 * The reference data shipped in the jar (see {@code reference/SOURCES.md}): two maps, each as
 * rows of the school years it is in force for, so that neither leaks into the other's years.
 * <ul>
 *   <li>the map until June 2025, for {@link #PRE_REFORM_YEARS}: the 63 provinces and Hanoi's
 *       30 districts;</li>
 *   <li>the map of 1 July 2025, for {@link #REFORM_YEARS}: the 34 provinces and Hanoi's 126
 *       communes and wards, and which former provinces each new province absorbed.</li>
 * </ul>
 * Clusters are per school year (Hanoi's and MOET Cluster 4 for 2023-2024 and 2024-2025, and one
 * of each kind for 2025-2026), and scoring schemes for Hanoi's Cluster 1 (the shape seed 000
 * gives) and the demo's commune cluster. Schools are not bundled.
 */
public record BundledReference(List<Province> provinces, List<LocalUnit> localUnits, List<Cluster> clusters,
                               Map<String, String> mergedInto, List<EmulationScheme> schemes) {
    /** The first school year of the map of 1 July 2025. */
    public static final String REFORM_YEAR = "2025-2026";
    /** The school years the bundled map before the reform is loaded for (the years its sources describe). */
    public static final List<String> PRE_REFORM_YEARS = List.of("2023-2024", "2024-2025");
    /** The school years the bundled map of 2025 is loaded for: since the reform, up to the current one. */
    public static final List<String> REFORM_YEARS = List.of(REFORM_YEAR, "2026-2027");

    public static BundledReference load() {
        List<Province> provinces = new ArrayList<>();
        List<LocalUnit> units = new ArrayList<>();
        for (String year : PRE_REFORM_YEARS) {
            read("provinces.json", ReferenceParser::province).forEach(p -> provinces.add(inYear(p, year)));
            read("districts.json", ReferenceParser::localUnit).forEach(u -> units.add(inYear(u, year)));
        }
        for (String year : REFORM_YEARS) {
            read(REFORM_YEAR + "/provinces.json", ReferenceParser::province).forEach(p -> provinces.add(inYear(p, year)));
            read(REFORM_YEAR + "/communes.json", ReferenceParser::localUnit).forEach(u -> units.add(inYear(u, year)));
        }
        Map<String, String> mergedInto = new LinkedHashMap<>();
        for (JsonNode row : tree(REFORM_YEAR + "/provinces.json")) {
            row.get("formerProvinces").forEach(former -> mergedInto.put(former.textValue(), row.get("code").textValue()));
        }
        return new BundledReference(List.copyOf(provinces), List.copyOf(units),
                read("clusters.json", ReferenceParser::cluster), Map.copyOf(mergedInto),
                read("emulation-schemes.json", ReferenceParser::scheme));
    }

    public static Province inYear(Province p, String year) {
        return new Province(p.code(), p.name(), year);
    }

    public static LocalUnit inYear(LocalUnit u, String year) {
        return new LocalUnit(u.code(), u.name(), u.province(), u.scope(), year);
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

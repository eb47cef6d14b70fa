package io.schoolstats.simulate;

import io.schoolstats.reference.BundledReference;
import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.LocalUnit;
import io.schoolstats.reference.Province;
import io.schoolstats.reference.School;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The reference data and schools the simulator reports for, on both maps: the bundled data
 * (rows of each map for the school years it is in force), plus illustrative districts for the
 * provinces of the bundled province clusters (the bundle has districts for Hanoi only), plus
 * generated schools. Each school has rows under a district until 2024-2025 and, since
 * 2025-2026, a Hanoi school under a commune, any other directly under the province that
 * absorbed its old one. Generated rows are marked "minh họa" (illustrative).
 */
public record DemoWorld(List<Province> provinces, List<LocalUnit> localUnits, List<Cluster> clusters,
                        List<SimSchool> schools, List<School> schoolRows,
                        List<io.schoolstats.reference.EmulationScheme> schemes) {

    /** A generated school with its size; {@code school} names it and its district before the reform. */
    public record SimSchool(School school, Level level, int enrolled) {
        public String id() {
            return school.schoolId();
        }
    }

    public static DemoWorld build(int schoolsPerDistrict, long seed) {
        BundledReference bundled = BundledReference.load();
        Random random = new Random(seed);
        String lastOldYear = BundledReference.PRE_REFORM_YEARS.get(BundledReference.PRE_REFORM_YEARS.size() - 1);
        Map<String, String> provinceNames = new LinkedHashMap<>();
        BundledReference.ofYear(bundled.provinces(), Province::key, lastOldYear)
                .forEach(p -> provinceNames.put(p.code(), p.name()));

        List<LocalUnit> units = new ArrayList<>(bundled.localUnits());
        List<LocalUnit> districts = new ArrayList<>(BundledReference.ofYear(units, LocalUnit::key, lastOldYear));
        Set<String> withDistricts = new LinkedHashSet<>();
        districts.forEach(d -> withDistricts.add(d.province()));
        for (Cluster cluster : bundled.clusters()) {
            if (cluster.scope() != Scope.PROVINCE || !BundledReference.PRE_REFORM_YEARS.contains(cluster.schoolYear())) {
                continue;
            }
            for (String province : cluster.members()) {
                if (withDistricts.add(province)) {
                    for (int i = 1; i <= 3; i++) {
                        LocalUnit d = new LocalUnit(province + "-" + String.format("%02d", i),
                                "Huyện minh họa " + i + " (" + provinceNames.get(province) + ")", province,
                                Scope.DISTRICT, null);
                        districts.add(d);
                        BundledReference.PRE_REFORM_YEARS.forEach(year -> units.add(BundledReference.inYear(d, year)));
                    }
                }
            }
        }
        List<LocalUnit> communes = BundledReference.ofYear(units, LocalUnit::key, BundledReference.REFORM_YEAR);

        List<SimSchool> schools = new ArrayList<>();
        List<School> rows = new ArrayList<>();
        Level[] levels = {Level.PRESCHOOL, Level.PRIMARY, Level.PRIMARY, Level.LOWER_SECONDARY, Level.UPPER_SECONDARY};
        int nextCommune = 0;
        for (LocalUnit d : districts) {
            // Since 2025: Hanoi's schools go to the ward named like their district if there is one, else
            // round the communes; the others sit directly under the province that absorbed theirs.
            LocalUnit namesake = communes.stream().filter(c -> c.name().toLowerCase(Locale.ROOT)
                    .replaceFirst("^(phường|xã) ", "").equals(d.name().toLowerCase(Locale.ROOT))).findFirst().orElse(null);
            Map<Level, Integer> numbers = new java.util.EnumMap<>(Level.class);
            for (int i = 0; i < schoolsPerDistrict; i++) {
                Level level = levels[i % levels.length];
                int number = numbers.merge(level, 1, Integer::sum);
                String id = d.code() + "-" + abbreviation(level) + "-" + String.format("%02d", number);
                String name = "Trường " + levelName(level) + " " + d.name() + " số " + number;
                int enrolled = switch (level) {
                    case PRESCHOOL -> 150 + random.nextInt(250);
                    case PRIMARY -> 500 + random.nextInt(1000);
                    case LOWER_SECONDARY -> 400 + random.nextInt(800);
                    case UPPER_SECONDARY -> 600 + random.nextInt(1200);
                };
                schools.add(new SimSchool(new School(id, name, level.name(), d.code(), null, null), level, enrolled));
                for (String year : BundledReference.PRE_REFORM_YEARS) {
                    rows.add(new School(id, name, level.name(), d.code(), null, year));
                }
                LocalUnit commune = !d.province().equals("01") || communes.isEmpty() ? null
                        : namesake != null && i % 2 == 0 ? namesake : communes.get(nextCommune++ % communes.size());
                for (String year : BundledReference.REFORM_YEARS) {
                    rows.add(commune != null ? new School(id, name, level.name(), commune.code(), null, year)
                            : new School(id, name, level.name(), null, bundled.mergedInto().get(d.province()), year));
                }
            }
        }
        return new DemoWorld(bundled.provinces(), List.copyOf(units), bundled.clusters(), List.copyOf(schools),
                List.copyOf(rows), bundled.schemes());
    }

    private static String abbreviation(Level level) {
        return switch (level) {
            case PRESCHOOL -> "MN";
            case PRIMARY -> "TH";
            case LOWER_SECONDARY -> "THCS";
            case UPPER_SECONDARY -> "THPT";
        };
    }

    private static String levelName(Level level) {
        return switch (level) {
            case PRESCHOOL -> "Mầm non";
            case PRIMARY -> "Tiểu học";
            case LOWER_SECONDARY -> "THCS";
            case UPPER_SECONDARY -> "THPT";
        };
    }
}

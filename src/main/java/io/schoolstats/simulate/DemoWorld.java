package io.schoolstats.simulate;

import io.schoolstats.reference.BundledReference;
import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.District;
import io.schoolstats.reference.Province;
import io.schoolstats.reference.School;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The reference data and schools the simulator reports for: the bundled data, plus illustrative
 * districts for the provinces of the bundled province clusters (the bundle has districts for
 * Hanoi only), plus generated schools. Generated rows are marked "minh họa" (illustrative).
 */
public record DemoWorld(List<Province> provinces, List<District> districts, List<Cluster> clusters,
                        List<SimSchool> schools) {

    /** A generated school with its size. */
    public record SimSchool(School school, Level level, int enrolled) {
        public String id() {
            return school.schoolId();
        }
    }

    public static DemoWorld build(int schoolsPerDistrict, long seed) {
        BundledReference bundled = BundledReference.load();
        Random random = new Random(seed);
        Map<String, String> provinceNames = new LinkedHashMap<>();
        bundled.provinces().forEach(p -> provinceNames.put(p.code(), p.name()));

        List<District> districts = new ArrayList<>(bundled.districts());
        Set<String> withDistricts = new LinkedHashSet<>();
        districts.forEach(d -> withDistricts.add(d.province()));
        for (Cluster cluster : bundled.clusters()) {
            if (cluster.scope() != Scope.PROVINCE) {
                continue;
            }
            for (String province : cluster.members()) {
                if (withDistricts.add(province)) {
                    for (int i = 1; i <= 3; i++) {
                        districts.add(new District(province + "-" + String.format("%02d", i),
                                "Huyện minh họa " + i + " (" + provinceNames.get(province) + ")", province));
                    }
                }
            }
        }

        List<SimSchool> schools = new ArrayList<>();
        Level[] levels = {Level.PRESCHOOL, Level.PRIMARY, Level.PRIMARY, Level.LOWER_SECONDARY, Level.UPPER_SECONDARY};
        for (District d : districts) {
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
                schools.add(new SimSchool(new School(id, name, level.name(), d.code()), level, enrolled));
            }
        }
        return new DemoWorld(bundled.provinces(), List.copyOf(districts), bundled.clusters(), List.copyOf(schools));
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

package io.schoolstats.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BundledReferenceTest {
    private static final String REFORM = BundledReference.REFORM_YEAR;
    private final BundledReference bundled = BundledReference.load();

    @Test
    void hasTheSixtyThreeProvincesWithOfficialCodesForTheYearsBeforeTheReform() {
        assertThat(BundledReference.ofYear(bundled.provinces(), Province::key, null)).isEmpty();
        assertThat(names(BundledReference.ofYear(bundled.provinces(), Province::key, "2023-2024")))
                .isEqualTo(names(BundledReference.ofYear(bundled.provinces(), Province::key, "2024-2025")));
        Map<String, String> names = names(BundledReference.ofYear(bundled.provinces(), Province::key, "2024-2025"));
        assertThat(names).hasSize(63);
        assertThat(names).containsEntry("01", "Hà Nội").containsEntry("02", "Hà Giang").containsEntry("04", "Cao Bằng")
                .containsEntry("10", "Lào Cai").containsEntry("11", "Điện Biên").containsEntry("12", "Lai Châu")
                .containsEntry("14", "Sơn La").containsEntry("20", "Lạng Sơn").containsEntry("15", "Yên Bái");
    }

    @Test
    void hasTheThirtyFourProvincesOf2025AndWhatEachAbsorbed() {
        List<Province> reform = BundledReference.ofYear(bundled.provinces(), Province::key, REFORM);
        Map<String, String> names = names(reform);
        assertThat(names(BundledReference.ofYear(bundled.provinces(), Province::key, "2026-2027"))).isEqualTo(names);
        assertThat(names).hasSize(34).containsEntry("01", "Hà Nội").containsEntry("08", "Tuyên Quang")
                .containsEntry("15", "Lào Cai").containsEntry("79", "Thành phố Hồ Chí Minh");
        // Every former province went into exactly one new one, and only into a new one.
        Set<String> former = names(BundledReference.ofYear(bundled.provinces(), Province::key, "2024-2025")).keySet();
        assertThat(bundled.mergedInto()).hasSize(63).containsOnlyKeys(former);
        assertThat(Set.copyOf(bundled.mergedInto().values())).isEqualTo(names.keySet());
        assertThat(bundled.mergedInto()).containsEntry("02", "08").containsEntry("10", "15").containsEntry("15", "15")
                .containsEntry("01", "01");
    }

    @Test
    void hasHanoisThirtyDistrictsAndItsCommunesOf2025() {
        List<LocalUnit> districts = BundledReference.ofYear(bundled.localUnits(), LocalUnit::key, "2023-2024");
        assertThat(BundledReference.ofYear(bundled.localUnits(), LocalUnit::key, REFORM))
                .noneMatch(u -> u.scope() == Scope.DISTRICT);
        Map<String, String> names = districts.stream().collect(Collectors.toMap(LocalUnit::code, LocalUnit::name));
        assertThat(names).hasSize(30).containsEntry("001", "Ba Đình").containsEntry("008", "Hoàng Mai")
                .containsEntry("021", "Bắc Từ Liêm").containsEntry("278", "Thanh Oai").containsEntry("282", "Mỹ Đức");
        assertThat(districts).allMatch(d -> d.province().equals("01") && d.scope() == Scope.DISTRICT);

        List<LocalUnit> communes = BundledReference.ofYear(bundled.localUnits(), LocalUnit::key, REFORM);
        assertThat(communes).hasSize(126).allMatch(c -> c.province().equals("01") && c.scope() == Scope.COMMUNE);
        assertThat(communes.stream().filter(c -> c.name().startsWith("Phường "))).hasSize(51);
        assertThat(communes).extracting(LocalUnit::code).doesNotContainAnyElementsOf(names.keySet());
    }

    @Test
    void clustersComeFromTheSeedsPerSchoolYear() {
        Cluster hanoi1 = find("HN-C1", "2023-2024");
        assertThat(hanoi1.scope()).isEqualTo(Scope.DISTRICT);
        assertThat(hanoi1.head()).isEqualTo("008");
        assertThat(hanoi1.members()).containsExactlyInAnyOrder("008", "001", "006", "007", "002", "004");

        Cluster moet2023 = find("MOET-C4", "2023-2024");
        Cluster moet2024 = find("MOET-C4", "2024-2025");
        assertThat(moet2023.scope()).isEqualTo(Scope.PROVINCE);
        assertThat(moet2023.members()).containsExactlyInAnyOrder("14", "04", "10", "02", "20", "12", "11");
        assertThat(moet2023.head()).isEqualTo("14");
        assertThat(moet2024.head()).isEqualTo("04");

        assertThat(find("MOET-C4", REFORM).members()).hasSize(7).contains("08", "15").doesNotContain("02", "10");
        assertThat(find("HN-P1", REFORM).scope()).isEqualTo(Scope.COMMUNE);
    }

    @Test
    void everyClusterMemberExistsInTheMapOfItsSchoolYear() {
        for (Cluster c : bundled.clusters()) {
            String year = c.schoolYear();
            Set<String> units = c.scope() == Scope.PROVINCE
                    ? names(BundledReference.ofYear(bundled.provinces(), Province::key, year)).keySet()
                    : BundledReference.ofYear(bundled.localUnits(), LocalUnit::key, year).stream()
                            .filter(u -> u.scope() == c.scope()).map(LocalUnit::code).collect(Collectors.toSet());
            assertThat(units).as(c.key().encode()).containsAll(c.members());
        }
    }

    private static Map<String, String> names(List<Province> provinces) {
        return provinces.stream().collect(Collectors.toMap(Province::code, Province::name));
    }

    @Test
    void hasHanoiClusterOnesSchemeShapeThirteenFieldsOfTwoHundredPoints() {
        for (String year : List.of("2023-2024", "2024-2025")) {
            EmulationScheme scheme = bundled.schemes().stream().filter(s -> s.key().equals(new RowKey("HN-C1", year)))
                    .findFirst().orElseThrow();
            assertThat(scheme.criteria()).hasSize(13);
            assertThat(scheme.criteria()).allSatisfy(c -> {
                assertThat(c.maxPoints()).isEqualTo(200);
                assertThat(c.name()).as("the seed does not name the fields").contains("minh họa");
            });
            assertThat(find("HN-C1", year).members()).hasSize(6);
        }
        // Every scheme is for a bundled cluster's school year.
        assertThat(bundled.schemes()).allSatisfy(s -> assertThat(find(s.clusterId(), s.schoolYear())).isNotNull());
    }

    private Cluster find(String id, String year) {
        return bundled.clusters().stream().filter(c -> c.key().equals(new RowKey(id, year))).findFirst().orElseThrow();
    }
}

package io.schoolstats.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BundledReferenceTest {
    private final BundledReference bundled = BundledReference.load();

    @Test
    void hasTheSixtyThreeProvincesWithOfficialCodes() {
        Map<String, String> names = bundled.provinces().stream().collect(Collectors.toMap(Province::code, Province::name));
        assertThat(names).hasSize(63);
        assertThat(names).containsEntry("01", "Hà Nội").containsEntry("02", "Hà Giang").containsEntry("04", "Cao Bằng")
                .containsEntry("10", "Lào Cai").containsEntry("11", "Điện Biên").containsEntry("12", "Lai Châu")
                .containsEntry("14", "Sơn La").containsEntry("20", "Lạng Sơn");
    }

    @Test
    void hasHanoisThirtyDistricts() {
        Map<String, String> names = bundled.districts().stream().collect(Collectors.toMap(District::code, District::name));
        assertThat(names).hasSize(30).containsEntry("001", "Ba Đình").containsEntry("008", "Hoàng Mai")
                .containsEntry("021", "Bắc Từ Liêm").containsEntry("278", "Thanh Oai").containsEntry("282", "Mỹ Đức");
        assertThat(bundled.districts()).allMatch(d -> d.province().equals("01"));
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
    }

    @Test
    void everyClusterMemberExists() {
        Set<String> districts = bundled.districts().stream().map(District::code).collect(Collectors.toSet());
        Set<String> provinces = bundled.provinces().stream().map(Province::code).collect(Collectors.toSet());
        for (Cluster c : bundled.clusters()) {
            assertThat(c.scope() == Scope.DISTRICT ? districts : provinces).as(c.key()).containsAll(c.members());
        }
    }

    private Cluster find(String id, String year) {
        return bundled.clusters().stream().filter(c -> c.key().equals(Cluster.key(id, year))).findFirst().orElseThrow();
    }
}

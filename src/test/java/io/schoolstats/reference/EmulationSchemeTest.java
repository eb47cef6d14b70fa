package io.schoolstats.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.schoolstats.report.Parsed;
import io.schoolstats.report.Violation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A scoring scheme is validated before it scores anybody: every mistake is named. */
class EmulationSchemeTest {
    private static final String GOOD = "{\"clusterId\":\"HN-C1\",\"schoolYear\":\"2024-2025\",\"name\":\"Cụm 1\","
            + "\"flag\":{\"top\":3,\"minTotal\":2000},\"criteria\":["
            + "{\"id\":\"C01\",\"name\":\"Chuyên cần\",\"maxPoints\":200,\"indicator\":\"attendance_ratio\","
            + "\"rule\":{\"type\":\"linear\",\"from\":0.9,\"to\":1}},"
            + "{\"id\":\"C02\",\"name\":\"Giải học sinh giỏi\",\"maxPoints\":200,\"indicator\":\"awards:EXCELLENT_STUDENT_NATIONAL\","
            + "\"rule\":{\"type\":\"thresholds\",\"steps\":[{\"atLeast\":10,\"points\":200},{\"atLeast\":5,\"points\":120}]}},"
            + "{\"id\":\"C03\",\"name\":\"Công tác tổ chức\",\"maxPoints\":200}]}";

    private static Parsed<EmulationScheme> parse(String key, String json) {
        return ReferenceParser.scheme(key, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aGoodSchemeReadsAndScores() {
        Parsed<EmulationScheme> parsed = parse("HN-C1|2024-2025", GOOD);
        assertThat(parsed.isValid()).as(String.valueOf(parsed.violations())).isTrue();
        EmulationScheme scheme = parsed.value();
        assertThat(scheme.criteria()).extracting(EmulationScheme.Criterion::id).containsExactly("C01", "C02", "C03");
        assertThat(scheme.criteria().get(2).computed()).isFalse();
        EmulationScheme.Rule linear = scheme.criteria().get(0).rule();
        assertThat(linear.points(0.85, 200)).isEqualTo(0);
        assertThat(linear.points(0.95, 200)).isEqualTo(100, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(linear.points(1.0, 200)).isEqualTo(200);
        EmulationScheme.Rule steps = scheme.criteria().get(1).rule();
        assertThat(steps.points(4, 200)).isEqualTo(0);
        assertThat(steps.points(5, 200)).isEqualTo(120);
        assertThat(steps.points(12, 200)).isEqualTo(200);
        assertThat(scheme.flag().proposes(3, 2000)).isTrue();
        assertThat(scheme.flag().proposes(4, 2500)).isFalse();
        assertThat(scheme.flag().proposes(1, 1999.99)).isFalse();
        // What the engine keeps is read back the same.
        assertThat(ReferenceParser.scheme(scheme.toJson()).value()).isEqualTo(scheme);
    }

    @Test
    void everyMistakeIsNamed() {
        assertInvalid("HN-C1|2024-2025", GOOD.replace("attendance_ratio", "happiness"), "criteria[0].indicator",
                "must be attendance_ratio");
        assertInvalid("HN-C1|2024-2025", GOOD.replace("\"to\":1", "\"to\":0.5"), "criteria[0].rule", "must be below");
        assertInvalid("HN-C1|2024-2025", GOOD.replace("\"id\":\"C02\"", "\"id\":\"C01\""), "criteria[1].id",
                "defined twice");
        assertInvalid("HN-C1|2024-2025", GOOD.replace("\"points\":120", "\"points\":250"),
                "criteria[1].rule.steps[1].points", "between 0.0 and 200.0");
        assertInvalid("HN-C1|2024-2025", GOOD.replace(",\"rule\":{\"type\":\"linear\",\"from\":0.9,\"to\":1}", ""),
                "criteria[0].rule", "needs");
        assertInvalid("HN-C1|2024-2025", GOOD.replace("\"maxPoints\":200,\"indicator\":\"attendance_ratio\"",
                "\"maxPoints\":-1,\"indicator\":\"attendance_ratio\""), "criteria[0].maxPoints", "between");
        assertInvalid("HN-C1|2024-2025", GOOD.replace("\"type\":\"linear\"", "\"type\":\"curve\""), "criteria[0].rule.type",
                "'linear' or 'thresholds'");
        assertInvalid("HN-C1|2024-2025", GOOD.replace("\"top\":3", "\"top\":0"), "flag.top", "must be 1 to");
        assertInvalid("HN-C1|2024-2025", GOOD.replaceAll("\"criteria\":\\[.*\\]", "\"criteria\":[]"), "criteria",
                "non-empty");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= EmulationScheme.MAX_CRITERIA; i++) {
            many.append(i == 0 ? "" : ",").append("{\"id\":\"X").append(i).append("\",\"name\":\"x\",\"maxPoints\":1}");
        }
        assertInvalid("HN-C1|2024-2025", GOOD.replaceAll("\"criteria\":\\[.*\\]", "\"criteria\":[" + many + "]"),
                "criteria", "at most 50");
        // A name that NFC makes longer than the bound is refused on arrival (else it would be
        // refused when the engine reads the scheme back, and stop the stream).
        assertInvalid("HN-C1|2024-2025", GOOD.replace("\"name\":\"Cụm 1\"", "\"name\":\"" + "\u0958".repeat(500) + "\""),
                "name", "at most 500 characters");
        Parsed<EmulationScheme> wrongKey = parse("HN-C1|2023-2024", GOOD);
        assertThat(wrongKey.violations()).extracting(Violation::reason).containsExactly(Violation.Reason.KEY_MISMATCH);
        assertThat(ReferenceParser.deletion("HN-C1", true).isValid()).as("a deletion names its school year").isFalse();
    }

    private static void assertInvalid(String key, String json, String field, String message) {
        Parsed<EmulationScheme> parsed = parse(key, json);
        assertThat(parsed.isValid()).as(json).isFalse();
        assertThat(parsed.violations()).as(json).anySatisfy(v -> {
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.message()).contains(message);
        });
    }
}

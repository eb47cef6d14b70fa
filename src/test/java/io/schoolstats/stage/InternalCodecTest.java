package io.schoolstats.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.EmulationScheme;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.AttendanceReport;
import io.schoolstats.report.ExamReport;
import io.schoolstats.report.Report;
import io.schoolstats.stage.UnitInput.Deltas;
import io.schoolstats.stage.UnitInput.Member;
import io.schoolstats.stats.Period;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The engine's internal records: what is written is read back, and what is not known is refused. */
class InternalCodecTest {

    @Test
    void everyInputRoundTrips() {
        Report attendance = new AttendanceReport("S1", LocalDate.of(2025, 10, 1), 120, 110, 2, Instant.ofEpochMilli(5));
        Report exam = new ExamReport("S1", "2025-2026", "THPT_GRADUATION", 40, 38, List.of(0L, 0L, 0L, 0L, 1L, 2L, 5L,
                10L, 12L, 8L), new ExamReport.Awards(1, 2, 3, 4), 1, null);
        for (SchoolInput input : List.of(new SchoolInput.ReportArrived(attendance), new SchoolInput.ReportArrived(exam),
                new RowChanged("2025-2026", new UnitRow("S1", "Trường S1", null, new Target(Stage.PROVINCE, "08"))),
                new RowChanged("2025-2026", new UnitRow("S2", "Trường S2", null, new Target(Stage.LOCAL, "00331"),
                        "UPPER_SECONDARY")),
                new RowChanged(null, null), new SchoolInput.ExamChanged("OLYMPIAD_30_4", true),
                new SchoolInput.ExamChanged("THPT_GRADUATION", false))) {
            assertThat(roundTrip(InternalCodec.schoolInput(), input)).usingRecursiveComparison().isEqualTo(input);
        }
        Cluster cluster = new Cluster("HN-P1", "Cụm phường", "2025-2026", Scope.COMMUNE, List.of("00331", "00004"), "00331");
        for (UnitInput input : List.<UnitInput>of(
                new UnitInput.Shares("00331", List.of(new PeriodDelta(Period.registered("2025-2026"), new long[] {-1})),
                        new Member("00331", "2025-2026", "commune", "Phường Hoàng Mai")),
                new UnitInput.Shares("008", List.of(new PeriodDelta(Period.registered(), new long[] {0})), null),
                new UnitInput.Shares("00331", List.of(), new Member("00331", "2025-2026", "commune", "Phường Hoàng Mai")),
                new Deltas(List.of(new PeriodDelta(Period.attendanceDay(LocalDate.of(2025, 10, 1)), new long[] {1, 2, 1, 1}))),
                new RowChanged(null, new UnitRow("15", "Yên Bái", Scope.PROVINCE, null)),
                new UnitInput.MembershipChanged("MOET-C4", "2023-2024", true),
                new UnitInput.ClusterChanged("2025-2026", cluster), new UnitInput.ClusterChanged("2025-2026", null),
                new UnitInput.SchemeChanged("2025-2026", scheme(new EmulationScheme.Flag(3, null))),
                new UnitInput.SchemeChanged("2025-2026", scheme(new EmulationScheme.Flag(null, 1500.5))),
                new UnitInput.SchemeChanged("2025-2026", scheme(null)),
                new UnitInput.SchemeChanged("2025-2026", null),
                new UnitInput.ScoreArrived(new io.schoolstats.report.EmulationScore("HN-C1", "2024-2025", "Phường Ba Đình",
                        "C06", 18550, 3, java.time.Instant.parse("2025-05-20T09:15:00.123Z"))),
                new UnitInput.ScoreArrived(new io.schoolstats.report.EmulationScore("HN-C1", "2024-2025", "001", "C07", 0,
                        1, null)))) {
            assertThat(roundTrip(InternalCodec.unitInput(), input)).usingRecursiveComparison().isEqualTo(input);
        }
    }

    private static EmulationScheme scheme(EmulationScheme.Flag flag) {
        return new EmulationScheme("HN-P1", "2025-2026", "Bảng điểm", List.of(
                new EmulationScheme.Criterion("C01", "Chuyên cần", 200, "attendance_ratio",
                        new EmulationScheme.Linear(0.9, 1)),
                new EmulationScheme.Criterion("C02", "Tốt nghiệp", 150.5, "pass_ratio:THPT_GRADUATION",
                        new EmulationScheme.Thresholds(List.of(new EmulationScheme.Step(0.99, 150.5),
                                new EmulationScheme.Step(0.9, 100)))),
                new EmulationScheme.Criterion("C03", "Tổ chức", 200, null, null)), flag);
    }

    @Test
    void anotherFormatVersionIsRefusedNotMisread() {
        byte[] bytes = InternalCodec.unitInput().serializer().serialize("t",
                new UnitInput.MembershipChanged("C", "2023-2024", true));
        // 1: what the engine wrote before school-year maps; 2: before units sent shares instead of deltas.
        for (byte version : new byte[] {1, 2, 3, 4}) {
            bytes[0] = version;
            assertThatThrownBy(() -> InternalCodec.unitInput().deserializer().deserialize("t", bytes))
                    .isInstanceOf(SerializationException.class).hasMessageContaining("format version " + version)
                    .hasMessageContaining("rebuild the state");
        }
    }

    @Test
    void stateOfTheSchoolStageWithSchoolTotalsIsRefused() {
        // Version 2 kept school-stats and no school years with attendance: read on, a school's
        // next day would count it again as a reporting school of its year.
        byte[] bytes = InternalCodec.REPORT.serializer().serialize("school-reports",
                new AttendanceReport("S1", LocalDate.of(2025, 10, 1), 10, 9, 1, null));
        bytes[0] = 2;
        assertThatThrownBy(() -> InternalCodec.REPORT.deserializer().deserialize("school-reports", bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format version 2")
                .hasMessageContaining("rebuild the state");
    }

    @Test
    void anUnknownTagIsRefusedNotMisread() {
        byte[] bytes = InternalCodec.unitInput().serializer().serialize("t",
                new UnitInput.MembershipChanged("C", "2023-2024", true));
        bytes[1] = 'Z';
        assertThatThrownBy(() -> InternalCodec.unitInput().deserializer().deserialize("t", bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown unit input tag");
        byte[] school = InternalCodec.schoolInput().serializer().serialize("t", new RowChanged(null, null));
        school[1] = 'D';
        assertThatThrownBy(() -> InternalCodec.schoolInput().deserializer().deserialize("t", school))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown school input tag");
    }

    @Test
    void trailingBytesAndWrongCountsAreRefused() {
        byte[] bytes = InternalCodec.unitInput().serializer().serialize("t",
                new UnitInput.MembershipChanged("C", "2023-2024", true));
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> InternalCodec.unitInput().deserializer().deserialize("t", longer))
                .isInstanceOf(SerializationException.class).hasMessageContaining("after its end");
    }

    private static <T> T roundTrip(org.apache.kafka.common.serialization.Serde<T> serde, T value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }
}

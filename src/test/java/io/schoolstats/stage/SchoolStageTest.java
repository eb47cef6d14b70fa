package io.schoolstats.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.schoolstats.report.AttendanceReport;
import io.schoolstats.report.Report;
import io.schoolstats.stage.SchoolInput.ReportArrived;
import io.schoolstats.stage.StoreKeys.AttendanceYear;
import io.schoolstats.stage.StoreKeys.Row;
import io.schoolstats.stage.UnitInput.Deltas;
import io.schoolstats.stage.UnitOutput.Forward;
import io.schoolstats.stats.Counts;
import io.schoolstats.stats.Deadlines;
import io.schoolstats.stats.Period;
import io.schoolstats.topology.ReportOutcomes;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * What the school stage copies from its stores into memory (each school's routing, its latest
 * attendance day) is only a copy: a stage started again over the same stores (after a restart, a
 * move or an aborted transaction), or one that dropped a school's copy to stay within its bounds,
 * sends exactly what it would have sent with the copies intact. Checked without a model: what a
 * school's reports send in all, in any of these runs, equals what their winning revisions alone
 * send to a fresh stage.
 */
class SchoolStageTest {
    private static final LocalDate MONDAY = LocalDate.of(2025, 10, 6);
    private static final Target DISTRICT = new Target(Stage.LOCAL, "D1");

    private final MockProcessorContext<String, UnitOutput> context = new MockProcessorContext<>();

    SchoolStageTest() {
        store(SchoolStage.REPORTS, Serdes.String(), InternalCodec.REPORT);
        store(SchoolStage.ATTENDANCE_YEARS, AttendanceYear.SERDE, Serdes.String());
        store(SchoolStage.ROWS, Row.SERDE, InternalCodec.UNIT_ROW);
        store(SchoolStage.ATTENDANCE_DAYS, Serdes.String(), Serdes.String());
        store(SchoolStage.EXAM_CATALOGUE, Serdes.String(), Serdes.String());
        store(SchoolStage.EXAM_REPORTS, Serdes.String(), Serdes.String());
        BeforeCommit beforeCommit = BeforeCommit.store(SchoolStage.SEND_BEFORE_COMMIT).build();
        beforeCommit.init(context.getStateStoreContext(), beforeCommit);
        context.addStateStore(beforeCommit);
    }

    /** What Kafka Streams does before its task commits: the stage sends the deltas it summed since the last. */
    private void commit() {
        BeforeCommit beforeCommit = context.getStateStore(SchoolStage.SEND_BEFORE_COMMIT);
        beforeCommit.flushCache();
    }

    private <K, V> void store(String name, Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    /** A stage (re)started over the context's stores, as Kafka Streams does after a restart. */
    private Processor<String, SchoolInput, String, UnitOutput> start() {
        Processor<String, SchoolInput, String, UnitOutput> stage = SchoolStage
                .supplier(ReportOutcomes.ignore(), Deadlines.defaults(ZoneId.of("Asia/Ho_Chi_Minh"))).get();
        stage.init(context);
        return stage;
    }

    private static void row(Processor<String, SchoolInput, String, UnitOutput> stage, String school) {
        stage.process(new Record<>(school, new RowChanged(null, new UnitRow(school, "Trường " + school, null,
                DISTRICT, "PRIMARY")), 0L));
    }

    private static void attendance(Processor<String, SchoolInput, String, UnitOutput> stage, String school,
                                   LocalDate day, long present, long revision) {
        stage.process(new Record<>(school, new ReportArrived(new AttendanceReport(school, day, 100, present, revision,
                null)), 0L));
    }

    /** The sum of every delta sent to the district so far, per period (zero sums left out). */
    private Map<String, List<Long>> sentToDistrict() {
        commit();
        Map<String, long[]> sums = new TreeMap<>();
        context.forwarded().forEach(f -> {
            Forward forward = (Forward) f.record().value();
            assertThat(f.record().key()).isEqualTo(DISTRICT.code());
            for (PeriodDelta delta : ((Deltas) forward.input()).deltas()) {
                sums.merge(delta.period().encode(), delta.counts(), Counts::plus);
            }
        });
        Map<String, List<Long>> out = new TreeMap<>();
        sums.forEach((period, counts) -> {
            if (!Counts.isZero(counts)) {
                List<Long> list = new ArrayList<>();
                for (long c : counts) {
                    list.add(c);
                }
                out.put(period, list);
            }
        });
        return out;
    }

    /** What the given winning revisions alone send to a fresh stage. */
    private static Map<String, List<Long>> winnersAlone(List<long[]> schoolDayPresent) {
        SchoolStageTest fresh = new SchoolStageTest();
        Processor<String, SchoolInput, String, UnitOutput> stage = fresh.start();
        for (long[] w : schoolDayPresent) {
            String school = "S" + w[0];
            row(stage, school);
            attendance(stage, school, MONDAY.plusDays(w[1]), w[2], 9);
        }
        return fresh.sentToDistrict();
    }

    @Test
    void aCorrectionOfAnEarlierDayAfterARestartReplacesThatDay() {
        Processor<String, SchoolInput, String, UnitOutput> stage = start();
        row(stage, "S1");
        attendance(stage, "S1", MONDAY, 90, 1);
        attendance(stage, "S1", MONDAY.plusDays(1), 80, 1);

        commit(); // a clean stop commits
        stage = start();
        attendance(stage, "S1", MONDAY, 95, 2); // replaces Monday's
        attendance(stage, "S1", MONDAY.plusDays(1), 80, 1); // a duplicate: nothing
        attendance(stage, "S1", MONDAY.plusDays(2), 70, 1); // a new day

        assertThat(sentToDistrict()).isEqualTo(winnersAlone(List.of(
                new long[] {1, 0, 95}, new long[] {1, 1, 80}, new long[] {1, 2, 70})));
    }

    @Test
    void aStageRevivedAfterAnAbortedTransactionForgetsWhatTheAbortedWorkCopied() {
        Processor<String, SchoolInput, String, UnitOutput> stage = start();
        row(stage, "S1");
        attendance(stage, "S1", MONDAY, 90, 1);
        // The transaction aborts: Kafka Streams rolls the stores back (here to empty) and runs init
        // again on the same processor, which must not route by the row the aborted work read.
        KeyValueStore<Row, UnitRow> rows = context.getStateStore(SchoolStage.ROWS);
        rows.delete(new Row("S1", null));
        KeyValueStore<String, ?> reports = context.getStateStore(SchoolStage.REPORTS);
        reports.delete(AttendanceReport.naturalKey("S1", MONDAY));
        KeyValueStore<AttendanceYear, String> years = context.getStateStore(SchoolStage.ATTENDANCE_YEARS);
        years.delete(new AttendanceYear("S1", "2025-2026"));
        KeyValueStore<String, String> days = context.getStateStore(SchoolStage.ATTENDANCE_DAYS);
        days.delete(MONDAY.toString());
        context.resetForwards();
        stage.init(context);
        commit();
        assertThat(reports.get(AttendanceReport.naturalKey("S1", MONDAY)))
                .as("nothing of the aborted work is written at the next commit").isNull();

        attendance(stage, "S1", MONDAY, 90, 1);
        commit();
        assertThat(context.forwarded()).as("a school without a row counts nowhere, and nothing of the aborted work is sent")
                .isEmpty();
        row(stage, "S1");
        assertThat(sentToDistrict()).isEqualTo(winnersAlone(List.<long[]>of(new long[] {1, 0, 90})));
    }

    @Test
    void theReportsOfOneCommitCostTheirDistrictOneRecord() {
        Processor<String, SchoolInput, String, UnitOutput> stage = start();
        List<long[]> winners = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            row(stage, "S" + s);
            attendance(stage, "S" + s, MONDAY, 50 + s, 1);
            winners.add(new long[] {s, 0, 50 + s + (s == 2 ? 5 : 0)});
        }
        attendance(stage, "S2", MONDAY, 57, 2); // a correction in the same commit
        assertThat(context.forwarded()).as("nothing is sent before the commit").isEmpty();
        KeyValueStore<String, Report> reports = context.getStateStore(SchoolStage.REPORTS);
        // (A school's row makes the stage read what the school holds, so it writes what waits first.)
        assertThat(reports.get(AttendanceReport.naturalKey("S2", MONDAY)).revision()).as("nor written").isEqualTo(1);
        assertThat(reports.get(AttendanceReport.naturalKey("S4", MONDAY))).isNull();

        commit();
        assertThat(context.forwarded()).hasSize(1);
        assertThat(reports.get(AttendanceReport.naturalKey("S2", MONDAY)).revision()).as("written then").isEqualTo(2);
        assertThat(reports.approximateNumEntries()).isEqualTo(5);
        Map<String, List<Long>> first = sentToDistrict();
        commit();
        assertThat(context.forwarded()).as("a commit sends what was held once").hasSize(1);
        assertThat(first).isEqualTo(winnersAlone(winners));

        attendance(stage, "S3", MONDAY, 40, 2); // the next commit's work
        attendance(stage, "S3", MONDAY, 53, 3); // and back: nothing left to send
        commit();
        assertThat(context.forwarded()).hasSize(1);
    }

    @Test
    void aTaskHoldingDeltasForTooManyAggregatesAsksForItsCommitEarly() {
        Processor<String, SchoolInput, String, UnitOutput> stage = start();
        row(stage, "S1");
        int day = 0;
        for (; day < 1_000; day++) {
            attendance(stage, "S1", MONDAY.plusDays(day), 50, 1);
        }
        assertThat(context.committed()).as("a thousand days' deltas wait for the commit").isFalse();
        KeyValueStore<String, Report> reports = context.getStateStore(SchoolStage.REPORTS);
        assertThat(reports.approximateNumEntries()).as("and so do their reports").isZero();
        for (; day < SchoolStage.PENDING_HELD; day++) {
            attendance(stage, "S1", MONDAY.plusDays(day), 50, 1);
        }
        assertThat(context.committed()).as("one aggregate a day: the bound is reached").isTrue();
        assertThat(reports.approximateNumEntries()).as("as it is for reports, which are written then")
                .isEqualTo(SchoolStage.UNWRITTEN_HELD);
        commit();
        assertThat(context.forwarded()).as("everything held goes in one record to the district").hasSize(1);
        assertThat(((Deltas) ((Forward) context.forwarded().get(0).record().value()).input()).deltas())
                .hasSizeGreaterThan(SchoolStage.PENDING_HELD);
    }

    @Test
    void aSchoolDroppedFromMemoryIsReadAgainFromTheStores() {
        Processor<String, SchoolInput, String, UnitOutput> stage = start();
        List<long[]> winners = new ArrayList<>();
        // One school more than a task keeps in memory: the first is dropped by the time it is corrected.
        for (int s = 0; s <= SchoolStage.SCHOOLS_HELD; s++) {
            row(stage, "S" + s);
            attendance(stage, "S" + s, MONDAY, 50, 1);
            winners.add(new long[] {s, 0, s == 0 ? 60 : 50});
        }
        attendance(stage, "S0", MONDAY, 60, 2);
        attendance(stage, "S0", MONDAY, 55, 1); // stale
        assertThat(sentToDistrict()).isEqualTo(winnersAlone(winners));
    }
}

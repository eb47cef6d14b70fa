package io.schoolstats.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.schoolstats.reference.Scope;
import io.schoolstats.stage.StoreKeys.Membership;
import io.schoolstats.stage.StoreKeys.MemberShare;
import io.schoolstats.stage.StoreKeys.Row;
import io.schoolstats.stage.StoreKeys.UnitPeriod;
import io.schoolstats.stage.UnitInput.Deltas;
import io.schoolstats.stage.UnitInput.Shares;
import io.schoolstats.stage.UnitOutput.Forward;
import io.schoolstats.stage.UnitOutput.StatsChanged;
import io.schoolstats.stats.Period;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A unit stage's sends, seen from its context: what it owes downstream is kept in memory only, so
 * a stage that starts must send again everything it holds (its values are idempotent), and a
 * parent keeps each child's latest share.
 */
class UnitStageTest {
    private static final Period DAY = Period.attendanceDay(LocalDate.of(2025, 10, 1));
    private static final long[] COUNTS = {90, 100, 1, 0};

    private final MockProcessorContext<String, UnitOutput> context = new MockProcessorContext<>();

    UnitStageTest() {
        store(UnitStage.statsStore(Stage.LOCAL), UnitPeriod.SERDE, new CountsSerde());
        store(UnitStage.rowsStore(Stage.LOCAL), Row.SERDE, InternalCodec.UNIT_ROW);
        store(UnitStage.membershipsStore(Stage.LOCAL), Membership.SERDE, Serdes.String());
        store(UnitStage.statsStore(Stage.PROVINCE), UnitPeriod.SERDE, new CountsSerde());
        store(UnitStage.rowsStore(Stage.PROVINCE), Row.SERDE, InternalCodec.UNIT_ROW);
        store(UnitStage.membershipsStore(Stage.PROVINCE), Membership.SERDE, Serdes.String());
        store(UnitStage.sharesStore(Stage.PROVINCE), MemberShare.SERDE, new CountsSerde());
        store("local-vanished", UnitPeriod.SERDE, Serdes.String());
        store("province-vanished", UnitPeriod.SERDE, Serdes.String());
    }

    private <K, V> void store(String name, Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    private Processor<String, UnitInput, String, UnitOutput> start(Stage stage) {
        Processor<String, UnitInput, String, UnitOutput> p = UnitStage.supplier(stage, Duration.ofMillis(100)).get();
        p.init(context);
        // The flush of the stage started last (a stage that stopped flushes no more).
        var scheduled = context.scheduledPunctuators();
        flush = scheduled.get(scheduled.size() - 1).getPunctuator();
        return p;
    }

    private org.apache.kafka.streams.processor.Punctuator flush;

    private void flush() {
        flush.punctuate(0);
    }

    private List<UnitOutput> sent() {
        List<UnitOutput> out = new ArrayList<>();
        context.forwarded().forEach(f -> out.add(f.record().value()));
        context.resetForwards();
        return out;
    }

    @Test
    void aStageThatStartsSendsAgainWhatItHolds() {
        Processor<String, UnitInput, String, UnitOutput> first = start(Stage.LOCAL);
        first.process(new Record<>("D1", new RowChanged(null,
                new UnitRow("D1", "Quận Một", Scope.DISTRICT, new Target(Stage.PROVINCE, "P1"))), 0));
        first.process(new Record<>("D1", new Deltas(List.of(new PeriodDelta(DAY, COUNTS))), 0));
        sent();
        // Committed, then stopped before its flush: the next start is all that knows of the change.
        start(Stage.LOCAL);
        flush();
        List<UnitOutput> sent = sent();
        assertThat(sent).anySatisfy(o -> assertThat(o).isInstanceOfSatisfying(StatsChanged.class, s -> {
            assertThat(s.code()).isEqualTo("D1");
            assertThat(s.period()).isEqualTo(DAY);
            assertThat(s.counts()).containsExactly(COUNTS);
        }));
        assertThat(sent).anySatisfy(o -> assertThat(o).isInstanceOfSatisfying(Forward.class, f -> {
            assertThat(f.target()).isEqualTo(Stage.PROVINCE);
            Shares shares = (Shares) f.input();
            assertThat(shares.from()).isEqualTo("D1");
            assertThat(shares.shares()).singleElement().satisfies(s -> assertThat(s.counts()).containsExactly(COUNTS));
        }));
    }

    @Test
    void aStageRevivedAfterAnAbortedTransactionSumsOnTheStoreRolledBack() {
        Processor<String, UnitInput, String, UnitOutput> local = start(Stage.LOCAL);
        KeyValueStore<UnitPeriod, long[]> stats = context.getStateStore(UnitStage.statsStore(Stage.LOCAL));
        UnitPeriod day = new UnitPeriod("D1", DAY);
        local.process(new Record<>("D1", new Deltas(List.of(new PeriodDelta(DAY, COUNTS))), 0));
        // The transaction aborts: Kafka Streams rolls the store back and runs init again on the same processor.
        stats.delete(day);
        local.init(context);
        local.process(new Record<>("D1", new Deltas(List.of(new PeriodDelta(DAY, new long[] {5, 10, 1, 0}))), 0));
        assertThat(stats.get(day)).containsExactly(5, 10, 1, 0);
    }

    @Test
    void aParentKeepsEachChildsLatestShare() {
        Processor<String, UnitInput, String, UnitOutput> province = start(Stage.PROVINCE);
        KeyValueStore<UnitPeriod, long[]> stats = context.getStateStore(UnitStage.statsStore(Stage.PROVINCE));
        UnitPeriod total = new UnitPeriod("P1", DAY);
        province.process(new Record<>("P1", new Shares("D1", List.of(new PeriodDelta(DAY, COUNTS)), null), 0));
        province.process(new Record<>("P1", new Shares("D2", List.of(new PeriodDelta(DAY, new long[] {5, 10, 1, 0})), null), 0));
        assertThat(stats.get(total)).containsExactly(95, 110, 2, 0);
        // The same share again (a resend after a restart) changes nothing.
        province.process(new Record<>("P1", new Shares("D1", List.of(new PeriodDelta(DAY, COUNTS)), null), 0));
        assertThat(stats.get(total)).containsExactly(95, 110, 2, 0);
        // A new share replaces the child's old one; a zero share withdraws it.
        province.process(new Record<>("P1", new Shares("D1", List.of(new PeriodDelta(DAY, new long[] {80, 100, 1, 0})), null), 0));
        assertThat(stats.get(total)).containsExactly(85, 110, 2, 0);
        province.process(new Record<>("P1", new Shares("D2", List.of(new PeriodDelta(DAY, new long[3])), null), 0));
        assertThat(stats.get(total)).containsExactly(80, 100, 1, 0);
        province.process(new Record<>("P1", new Shares("D1", List.of(new PeriodDelta(DAY, new long[3])), null), 0));
        assertThat(stats.get(total)).isNull();
    }

    @Test
    void aUnitThatMovesSendsItsShareToTheNewParentAndZeroToTheOld() {
        Processor<String, UnitInput, String, UnitOutput> local = start(Stage.LOCAL);
        local.process(new Record<>("D1", new RowChanged(null,
                new UnitRow("D1", "Quận Một", Scope.DISTRICT, new Target(Stage.PROVINCE, "P1"))), 0));
        local.process(new Record<>("D1", new Deltas(List.of(new PeriodDelta(DAY, COUNTS))), 0));
        flush();
        sent();
        local.process(new Record<>("D1", new RowChanged(null,
                new UnitRow("D1", "Quận Một", Scope.DISTRICT, new Target(Stage.PROVINCE, "P2"))), 0));
        List<String> shares = new ArrayList<>();
        for (var f : context.forwarded()) {
            if (f.record().value() instanceof Forward fw && fw.input() instanceof Shares s) {
                shares.add(f.record().key() + ":" + java.util.Arrays.toString(s.shares().get(0).counts()));
            }
        }
        assertThat(shares).containsExactlyInAnyOrder("P1:[0, 0, 0, 0]", "P2:[90, 100, 1, 0]");
    }

    /** The shares a stage sent to provinces since the last call, as "province:counts". */
    private List<String> sharesToProvinces() {
        List<String> shares = new ArrayList<>();
        for (UnitOutput o : sent()) {
            if (o instanceof Forward fw && fw.target() == Stage.PROVINCE && fw.input() instanceof Shares s) {
                s.shares().forEach(v -> shares.add(v.period() + "@" + java.util.Arrays.toString(v.counts())));
            }
        }
        return shares;
    }

    private Processor<String, UnitInput, String, UnitOutput> districtInP1WithOneDay() {
        Processor<String, UnitInput, String, UnitOutput> local = start(Stage.LOCAL);
        local.process(new Record<>("D1", new RowChanged(null,
                new UnitRow("D1", "Quận Một", Scope.DISTRICT, new Target(Stage.PROVINCE, "P1"))), 0));
        local.process(new Record<>("D1", new Deltas(List.of(new PeriodDelta(DAY, COUNTS))), 0));
        flush();
        sent();
        return local;
    }

    @Test
    void anAggregateThatVanishedIsWithdrawnEvenAfterARestartBeforeTheFlush() {
        Processor<String, UnitInput, String, UnitOutput> local = districtInP1WithOneDay();
        local.process(new Record<>("D1", new Deltas(List.of(new PeriodDelta(DAY, new long[] {-90, -100, -1, 0}))), 0));
        sent();
        // Committed, then stopped before its flush: the stats store no longer holds the aggregate.
        start(Stage.LOCAL);
        flush();
        List<UnitOutput> sent = new ArrayList<>(context.forwarded().stream().map(f -> f.record().value()).toList());
        assertThat(sent).anySatisfy(o -> assertThat(o).isInstanceOfSatisfying(StatsChanged.class, s -> {
            assertThat(s.period()).isEqualTo(DAY);
            assertThat(s.counts()).isNull();
        }));
        assertThat(sharesToProvinces()).containsExactly(DAY + "@[0, 0, 0, 0]");
        // Sent once: the next start has nothing of it to send.
        start(Stage.LOCAL);
        flush();
        assertThat(sharesToProvinces()).isEmpty();
    }

    @Test
    void anAggregateThatVanishedJustBeforeAMoveIsWithdrawnFromTheOldParent() {
        Processor<String, UnitInput, String, UnitOutput> local = districtInP1WithOneDay();
        local.process(new Record<>("D1", new Deltas(List.of(new PeriodDelta(DAY, new long[] {-90, -100, -1, 0}))), 0));
        local.process(new Record<>("D1", new RowChanged(null,
                new UnitRow("D1", "Quận Một", Scope.DISTRICT, new Target(Stage.PROVINCE, "P2"))), 0));
        flush();
        List<String> toP1 = new ArrayList<>();
        for (var f : context.forwarded()) {
            if (f.record().value() instanceof Forward fw && fw.input() instanceof Shares s && f.record().key().equals("P1")) {
                s.shares().forEach(v -> toP1.add(java.util.Arrays.toString(v.counts())));
            }
        }
        assertThat(toP1).containsExactly("[0, 0, 0, 0]");
    }

    /**
     * Found by the property test: an aggregate published on stats.commune vanishes, the unit
     * becomes a district before the flush, and the aggregate comes back before it too. The flush
     * publishes it on stats.district only, so the commune record must have been withdrawn.
     */
    @Test
    void anAggregateThatVanishedAndCameBackAcrossAScopeChangeLeavesNothingOnTheOldTopic() {
        Processor<String, UnitInput, String, UnitOutput> local = start(Stage.LOCAL);
        local.process(new Record<>("D1", new RowChanged(null,
                new UnitRow("D1", "Phường Một", Scope.COMMUNE, new Target(Stage.PROVINCE, "P1"))), 0));
        local.process(new Record<>("D1", new Deltas(List.of(new PeriodDelta(DAY, COUNTS))), 0));
        flush();
        java.util.Map<String, long[]> published = new java.util.HashMap<>();
        java.util.function.Consumer<List<UnitOutput>> publish = outputs -> outputs.forEach(o -> {
            if (o instanceof StatsChanged c) {
                published.put(c.scope().label() + "|" + c.period(), c.counts());
            }
        });
        publish.accept(sent());
        assertThat(published.get("commune|" + DAY)).containsExactly(COUNTS);
        local.process(new Record<>("D1", new Deltas(List.of(new PeriodDelta(DAY, new long[] {-90, -100, -1, 0}))), 0));
        local.process(new Record<>("D1", new RowChanged(null,
                new UnitRow("D1", "Quận Một", Scope.DISTRICT, new Target(Stage.PROVINCE, "P1"))), 0));
        local.process(new Record<>("D1", new Deltas(List.of(new PeriodDelta(DAY, COUNTS))), 0));
        flush();
        publish.accept(sent());
        assertThat(published.get("district|" + DAY)).containsExactly(COUNTS);
        assertThat(published.get("commune|" + DAY)).as("withdrawn from the old topic").isNull();
    }
}

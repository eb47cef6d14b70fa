package io.schoolstats.contract;

import io.schoolstats.reference.Scope;
import io.schoolstats.report.ReportType;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every public topic of the contract with its serdes, declared once: producers, consumers and
 * tests use these. The engine's internal topics are named in the topology.
 */
public final class Topics {
    /** A topic and the serdes of its keys and values. */
    public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {
    }

    /** Reports arrive as raw bytes: parsing is validation, and a bad record must not stop the app. */
    public static Topic<byte[], byte[]> reports(ReportType type) {
        return new Topic<>(type.topic(), Serdes.ByteArray(), Serdes.ByteArray(), false);
    }

    public static final Topic<String, byte[]> SCHOOLS = reference("reference.schools");
    public static final Topic<String, byte[]> DISTRICTS = reference("reference.districts");
    public static final Topic<String, byte[]> PROVINCES = reference("reference.provinces");
    public static final Topic<String, byte[]> CLUSTERS = reference("reference.clusters");
    /** The exam catalogue: {@code {"code","name"}} keyed by code. */
    public static final Topic<String, byte[]> EXAMS = reference("reference.exams");
    /**
     * Evaluators' scores of cluster members (issue 14): reports like schools', raw bytes, keyed by
     * clusterId; natural key clusterId, schoolYear, member, criterion.
     */
    public static final Topic<byte[], byte[]> EMULATION_SCORES =
            new Topic<>("reports.emulation-scores", Serdes.ByteArray(), Serdes.ByteArray(), false);
    /** Clusters' scoring schemes: {@code clusterId|schoolYear} keys (README, "The emulation league"). */
    public static final Topic<String, byte[]> EMULATION_SCHEMES = reference("reference.emulation-schemes");

    /** Invalid records: JSON envelopes, keyed by the original key. */
    public static final Topic<String, byte[]> REJECTED =
            new Topic<>("reports.rejected", Serdes.String(), Serdes.ByteArray(), false);

    /**
     * Revoked access tokens, keyed by token id (the JWT's {@code jti}), value a JSON
     * {@link io.schoolstats.auth.Revocation}; compacted: read from the beginning by every instance.
     */
    public static final Topic<String, byte[]> REVOKED_TOKENS =
            new Topic<>("tokens.revoked", Serdes.String(), Serdes.ByteArray(), true);

    /**
     * Aggregates of units of one scope ({@code stats.district}, {@code stats.commune} ...), keyed by
     * {@code code|period}, JSON; a null value means the aggregate vanished.
     */
    public static Topic<String, byte[]> stats(Scope scope) {
        return new Topic<>("stats." + scope.label(), Serdes.String(), Serdes.ByteArray(), true);
    }

    /** Every topic the application reads or writes, for creating them when missing. */
    public static List<Topic<?, ?>> all() {
        List<Topic<?, ?>> all = new ArrayList<>();
        for (ReportType type : ReportType.values()) {
            all.add(reports(type));
        }
        all.add(EMULATION_SCORES);
        all.addAll(List.of(SCHOOLS, DISTRICTS, PROVINCES, CLUSTERS, EXAMS, EMULATION_SCHEMES, REJECTED, REVOKED_TOKENS));
        for (Scope scope : Scope.values()) {
            all.add(stats(scope));
        }
        return all;
    }

    private static Topic<String, byte[]> reference(String name) {
        return new Topic<>(name, Serdes.String(), Serdes.ByteArray(), true);
    }

    private Topics() {
    }
}

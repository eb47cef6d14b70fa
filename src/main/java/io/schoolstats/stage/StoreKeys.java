package io.schoolstats.stage;

import io.schoolstats.stats.Kind;
import io.schoolstats.stats.Period;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The keys of the engine's stores, each a typed value with one codec. They are written as UTF-8
 * text, fields joined by '|' (no id contains one: the validator refuses it), and the first
 * field first, so that a prefix scan finds all entries of one unit. Nothing outside this class
 * joins or splits them.
 */
public final class StoreKeys {
    private static final String BAR = "|";

    private StoreKeys() {
    }

    /** One aggregate of one unit (or school): {@code code|period}. */
    public record UnitPeriod(String code, Period period) {
        public static final Serde<UnitPeriod> SERDE = Serdes.serdeFrom(
                (topic, k) -> k == null ? null : join(utf8(k.code), k.period.utf8()),
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    int bar = indexOfBar(bytes, 0);
                    return new UnitPeriod(new String(bytes, 0, bar, StandardCharsets.UTF_8),
                            periodOf(new String(bytes, bar + 1, bytes.length - bar - 1, StandardCharsets.UTF_8)));
                });

        /** The prefix of every aggregate of a unit. */
        public static String prefix(String code) {
            return code + BAR;
        }

        /**
         * The prefix of a unit's aggregates of one kind and, unless null, school year (a narrow
         * scan; school days are named by their date, so for them only the kind narrows it).
         */
        public static String prefix(String code, Kind kind, String schoolYear) {
            boolean byYear = schoolYear != null && kind != Kind.ATTENDANCE_DAY;
            return code + BAR + kind.label() + ":" + (byYear ? schoolYear : "");
        }
    }

    /**
     * A reference row of a unit in a stage's store: {@code code|} for the timeless row,
     * {@code code|2025-2026} for a year's, so that {@code code|} prefixes all of a unit's rows.
     */
    public record Row(String code, String schoolYear) {
        public static final Serde<Row> SERDE = serde(k -> k.code + BAR + (k.schoolYear == null ? "" : k.schoolYear),
                text -> {
                    String[] p = split(text, 2);
                    return new Row(p[0], p[1].isEmpty() ? null : p[1]);
                });

        public static String prefix(String code) {
            return code + BAR;
        }
    }

    /** A school year in which a school has attendance: {@code schoolId|schoolYear}. */
    public record AttendanceYear(String schoolId, String schoolYear) {
        public static final Serde<AttendanceYear> SERDE = serde(k -> k.schoolId + BAR + k.schoolYear, text -> {
            String[] p = split(text, 2);
            return new AttendanceYear(p[0], p[1]);
        });
    }

    /** A unit's membership of a cluster for one school year: {@code code|schoolYear|clusterId}. */
    public record Membership(String code, String schoolYear, String clusterId) {
        public static final Serde<Membership> SERDE = serde(k -> k.code + BAR + k.schoolYear + BAR + k.clusterId,
                text -> {
                    String[] p = split(text, 3);
                    return new Membership(p[0], p[1], p[2]);
                });

        public static String prefix(String code) {
            return code + BAR;
        }
    }

    /** A child's share of a unit's aggregate (a member's of a cluster's, a district's of a province's): {@code unit|period|child}. */
    public record MemberShare(String clusterId, Period period, String member) {
        public static final Serde<MemberShare> SERDE = serde(
                k -> k.clusterId + BAR + k.period.encode() + BAR + k.member, text -> {
                    String[] p = split(text, 3);
                    return new MemberShare(p[0], Period.decode(p[1]), p[2]);
                });

        public static String prefix(String clusterId, Kind kind, String schoolYear) {
            return clusterId + BAR + kind.label() + ":" + schoolYear;
        }
    }

    /** A member of a cluster as of one school year: {@code clusterId|schoolYear|member}. */
    public record YearMember(String clusterId, String schoolYear, String member) {
        public static final Serde<YearMember> SERDE = serde(k -> k.clusterId + BAR + k.schoolYear + BAR + k.member,
                text -> {
                    String[] p = split(text, 3);
                    return new YearMember(p[0], p[1], p[2]);
                });
    }

    /** An evaluator's score of a member on a criterion: {@code clusterId|schoolYear|member|criterion}. */
    public record Score(String clusterId, String schoolYear, String member, String criterion) {
        public static final Serde<Score> SERDE = serde(
                k -> k.clusterId + BAR + k.schoolYear + BAR + k.member + BAR + k.criterion, text -> {
                    String[] p = split(text, 4);
                    return new Score(p[0], p[1], p[2], p[3]);
                });

        /** The prefix of every score of a cluster's school year. */
        public static String prefix(String clusterId, String schoolYear) {
            return clusterId + BAR + schoolYear + BAR;
        }
    }

    /** The UTF-8 text of a prefix, for {@code prefixScan}. */
    public static final org.apache.kafka.common.serialization.Serializer<String> PREFIX =
            Serdes.String().serializer();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** head, '|', tail: the period always comes last, as its own cached UTF-8. */
    private static byte[] join(byte[] head, byte[] tail) {
        byte[] out = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        out[head.length] = '|';
        System.arraycopy(tail, 0, out, head.length + 1, tail.length);
        return out;
    }

    /** The next '|' from {@code from}: in UTF-8 that byte is only ever the character itself. */
    private static int indexOfBar(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '|') {
                return i;
            }
        }
        throw new SerializationException("a store key lacks a field: " + new String(bytes, StandardCharsets.UTF_8));
    }

    private static Period periodOf(String text) {
        try {
            return Period.decode(text);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("not a period in a store key: " + text, e);
        }
    }

    private static String[] split(String text, int fields) {
        String[] parts = text.split("\\|", -1);
        if (parts.length != fields) {
            throw new SerializationException("a store key of " + fields + " fields was expected, got '" + text + "'");
        }
        return parts;
    }

    private static <K> Serde<K> serde(Function<K, String> encode, Function<String, K> decode) {
        return Serdes.serdeFrom(
                (topic, key) -> key == null ? null : encode.apply(key).getBytes(StandardCharsets.UTF_8),
                (topic, bytes) -> bytes == null ? null : decode.apply(new String(bytes, StandardCharsets.UTF_8)));
    }
}

package io.schoolstats.stage;

import io.schoolstats.stage.StoreKeys.MemberShare;
import io.schoolstats.stats.Counts;
import io.schoolstats.stats.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One unit's shares of the aggregates of the units above it, summed per recipient and period
 * as {@link Routing} spreads them (a timeless registration counts in several places).
 */
final class ShareSums implements Routing.Sink {
    /** Receives one recipient's shares; {@code clusterYear} is set for a cluster. */
    interface Send {
        void send(Target target, String clusterYear, List<PeriodDelta> shares);
    }

    private record Recipient(Target target, String clusterYear) {
    }

    private final Map<Recipient, Map<Period, long[]>> sums = new LinkedHashMap<>();

    @Override
    public void add(Target target, String clusterYear, Period period, long[] counts) {
        sums.computeIfAbsent(new Recipient(target, clusterYear), r -> new LinkedHashMap<>())
                .merge(period, counts, Counts::plus);
    }

    /** Adds a zero share wherever {@code before} had one and these sums have none: the unit left it. */
    void zeroWhereOnlyIn(ShareSums before) {
        before.sums.forEach((recipient, periods) -> periods.forEach((period, counts) -> sums
                .computeIfAbsent(recipient, r -> new LinkedHashMap<>())
                .putIfAbsent(period, new long[period.kind().size()])));
    }

    /**
     * Keeps {@code counts} (all zeros: none) as a child's latest share in a parent's store of them.
     *
     * @return what the parent's aggregate changes by: the new share minus the old, null when the
     *         same share came again (a resend after a restart)
     */
    static long[] replace(KeyValueStore<MemberShare, long[]> shares, MemberShare key, long[] counts) {
        long[] before = shares.get(key);
        long[] now = Counts.orNull(counts);
        if (Arrays.equals(before, now)) {
            return null;
        }
        if (now == null) {
            shares.delete(key);
        } else {
            shares.put(key, now);
        }
        return Counts.minus(now, before);
    }

    void send(Send send) {
        sums.forEach((recipient, periods) -> {
            List<PeriodDelta> shares = new ArrayList<>(periods.size());
            periods.forEach((period, counts) -> shares.add(new PeriodDelta(period, counts)));
            send.send(recipient.target(), recipient.clusterYear(), shares);
        });
    }
}

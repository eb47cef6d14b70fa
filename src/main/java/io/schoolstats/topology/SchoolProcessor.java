package io.schoolstats.topology;

import io.schoolstats.reference.School;
import io.schoolstats.report.AttendanceReport;
import io.schoolstats.report.Report;
import io.schoolstats.stats.Contributions;
import io.schoolstats.stats.Counts;
import io.schoolstats.stats.Period;
import io.schoolstats.topology.Messages.Deltas;
import io.schoolstats.topology.Messages.PeriodDelta;
import io.schoolstats.topology.Messages.ReportArrived;
import io.schoolstats.topology.Messages.SchoolChanged;
import io.schoolstats.topology.Messages.SchoolInput;
import io.schoolstats.topology.Messages.UnitInput;
import io.schoolstats.topology.ReportOutcomes.Outcome;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The school stage, partitioned by school id: a school's reports and its reference row meet here.
 *
 * <p>It keeps the winning revision of every natural key, the school's own aggregates, and its
 * reference row. It emits signed deltas keyed by district so that, whatever the order of
 * arrival, every district aggregate equals the sum of the school aggregates of the schools
 * registered in it: a new winning revision sends (new - old) to the school's district; a school
 * moving sends -everything to the old district and +everything to the new one.
 */
final class SchoolProcessor implements Processor<String, SchoolInput, String, UnitInput> {

    private final ReportOutcomes outcomes;
    private ProcessorContext<String, UnitInput> context;
    private KeyValueStore<String, Report> reports;
    private KeyValueStore<String, long[]> stats;
    private KeyValueStore<String, School> refs;
    private KeyValueStore<String, String> latestDay;
    private LocalDate latest;

    SchoolProcessor(ReportOutcomes outcomes) {
        this.outcomes = outcomes;
    }

    @Override
    public void init(ProcessorContext<String, UnitInput> context) {
        this.context = context;
        this.reports = context.getStateStore(StoreNames.SCHOOL_REPORTS);
        this.stats = context.getStateStore(StoreNames.SCHOOL_STATS);
        this.refs = context.getStateStore(StoreNames.SCHOOL_REFS);
        this.latestDay = context.getStateStore(StoreNames.LATEST_DAY);
        String stored = latestDay.get(StoreNames.LATEST_DAY_KEY);
        this.latest = stored == null ? null : LocalDate.parse(stored);
    }

    @Override
    public void process(Record<String, SchoolInput> record) {
        if (record.value() instanceof ReportArrived arrived) {
            report(record, arrived.report());
        } else if (record.value() instanceof SchoolChanged changed) {
            school(record, record.key(), changed.school());
        }
    }

    private void report(Record<String, SchoolInput> record, Report report) {
        String naturalKey = report.naturalKey();
        Report current = reports.get(naturalKey);
        if (current != null && report.revision() <= current.revision()) {
            outcomes.record(report.reportType(),
                    report.revision() == current.revision() ? Outcome.DUPLICATE : Outcome.STALE);
            return;
        }
        outcomes.record(report.reportType(), Outcome.ACCEPTED);
        reports.put(naturalKey, report);
        if (report instanceof AttendanceReport attendance && (latest == null || attendance.date().isAfter(latest))) {
            latest = attendance.date();
            latestDay.put(StoreNames.LATEST_DAY_KEY, latest.toString());
        }

        Map<Period, long[]> before = Contributions.of(current);
        Map<Period, long[]> after = Contributions.of(report);
        Set<Period> periods = new LinkedHashSet<>(before.keySet());
        periods.addAll(after.keySet());
        List<PeriodDelta> toDistrict = new ArrayList<>();
        for (Period period : periods) {
            String key = report.schoolId() + "|" + period.encode();
            long[] old = stats.get(key);
            long[] now = Counts.orNull(Counts.plus(Counts.minus(old, before.get(period)), after.get(period)));
            if (now == null) {
                stats.delete(key);
            } else {
                stats.put(key, now);
            }
            long[] delta = Counts.minus(Contributions.schoolToUnit(period, now), Contributions.schoolToUnit(period, old));
            if (!Counts.isZero(delta)) {
                toDistrict.add(new PeriodDelta(period.encode(), delta));
            }
        }
        School school = refs.get(report.schoolId());
        if (school != null && !toDistrict.isEmpty()) {
            context.forward(record.withKey(school.district()).withValue(new Deltas(toDistrict)));
        }
    }

    private void school(Record<String, SchoolInput> record, String schoolId, School school) {
        School old = refs.get(schoolId);
        if (school == null) {
            refs.delete(schoolId);
        } else {
            refs.put(schoolId, school);
        }
        String from = old == null ? null : old.district();
        String to = school == null ? null : school.district();
        if (Objects.equals(from, to)) {
            return;
        }
        List<PeriodDelta> everything = new ArrayList<>();
        everything.add(new PeriodDelta(Period.registered().encode(), Contributions.registration()));
        try (KeyValueIterator<String, long[]> it = stats.prefixScan(schoolId + "|", new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, long[]> entry = it.next();
                Period period = Period.decode(entry.key.substring(schoolId.length() + 1));
                everything.add(new PeriodDelta(period.encode(), Contributions.schoolToUnit(period, entry.value)));
            }
        }
        if (from != null) {
            context.forward(record.withKey(from).withValue(new Deltas(negate(everything))));
        }
        if (to != null) {
            context.forward(record.withKey(to).withValue(new Deltas(everything)));
        }
    }

    static List<PeriodDelta> negate(List<PeriodDelta> deltas) {
        List<PeriodDelta> negated = new ArrayList<>(deltas.size());
        for (PeriodDelta d : deltas) {
            negated.add(new PeriodDelta(d.period(), Counts.negate(d.counts())));
        }
        return negated;
    }
}

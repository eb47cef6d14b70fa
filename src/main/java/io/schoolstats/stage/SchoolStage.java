package io.schoolstats.stage;

import io.schoolstats.reference.Exam;
import io.schoolstats.report.AttendanceReport;
import io.schoolstats.report.ExamReport;
import io.schoolstats.report.Report;
import io.schoolstats.stage.SchoolInput.ReportArrived;
import io.schoolstats.stage.StoreKeys.AttendanceYear;
import io.schoolstats.stage.StoreKeys.Row;
import io.schoolstats.stage.UnitInput.Deltas;
import io.schoolstats.stage.UnitOutput.Forward;
import io.schoolstats.stats.Contributions;
import io.schoolstats.stats.Counts;
import io.schoolstats.stats.Deadlines;
import io.schoolstats.stats.Period;
import io.schoolstats.topology.ReportOutcomes;
import io.schoolstats.topology.ReportOutcomes.Outcome;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The school stage, partitioned by school id: a school's reports and its reference rows meet here.
 *
 * <p>It keeps the winning revision of every natural key and the school's rows (timeless and per
 * school year). It emits signed deltas to the unit each aggregate counts in ({@link Routing}): a
 * new winning revision sends (new - old); a row that changes sends, for everything the school
 * holds, the new routing minus the old. So, whatever the order of arrival, every unit's
 * aggregate of year Y is the sum of the schools in force in it for Y. A task sums its deltas per
 * unit and period between commits and sends them just before each ({@link #pending}).
 *
 * <p>The school's own aggregates are not kept: a report is the whole of its school's aggregate
 * for each of its periods but one ({@link Contributions#changeToUnit}), so a report costs one
 * write of {@code school-reports}, and a read of it unless it is attendance of its school's
 * newest day (see {@link #copies}), and what a school holds is summed from its reports on the
 * rare occasions its rows change.
 */
public final class SchoolStage implements Processor<String, SchoolInput, String, UnitOutput> {
    /**
     * How many schools a task keeps copies of in memory ({@link #copies}): every school of a task
     * for a country of 43,000 schools on 4 partitions (about 11,000 a task), at about 250 bytes a
     * school (its id, its slimmed rows, its latest day): 4 MB a task at most.
     */
    static final int SCHOOLS_HELD = 16_384;
    /**
     * Winning revision per natural key ({@code Report.naturalKey()}), with the natural key's first
     * submission as its {@code submittedAt}: a correction keeps the timeliness of the first
     * submission ({@link Deadlines}), and the earliest of all revisions read, in any order, is the
     * first, whichever revision wins.
     */
    public static final String REPORTS = "school-reports";
    /**
     * The school years in which each school has an attendance report ({@link AttendanceYear} keys,
     * empty values), written once per school and year: what says whether a new day is the school's
     * first of its year, the day it starts counting as a reporting school of that year.
     */
    public static final String ATTENDANCE_YEARS = "school-attendance-years";
    /** Each school's reference rows, timeless and per school year. */
    public static final String ROWS = "school-rows";
    /**
     * Per task, every attendance date that has an accepted report (ISO date keys, empty values):
     * the current school day is the latest of them that is not after today, whenever today is.
     */
    public static final String ATTENDANCE_DAYS = "attendance-days";
    /** Per task, the exam codes operators added to the catalogue (the built-in ones are always in it). */
    public static final String EXAM_CATALOGUE = "exam-catalogue";
    /** Per task, the natural key of every exam report of a code that is not built in, under its code ({@code CODE|naturalKey}). */
    public static final String EXAM_REPORTS = "exam-reports-by-code";
    /**
     * Holds nothing: just before each commit ({@link BeforeCommit}) the stage writes the reports
     * accepted since the last and sends the deltas summed since ({@link #beforeCommit()}).
     */
    static final String SEND_BEFORE_COMMIT = "school-deltas-before-commit";
    /**
     * How many unit aggregates the deltas held until the next commit may reach before the stage
     * asks for that commit early: a commit interval of seconds over a replay would otherwise hold
     * a delta for every unit and day of it.
     */
    static final int PENDING_HELD = 16_384;
    /** How many winning revisions may wait for the next commit to be written ({@link #unwritten}). */
    static final int UNWRITTEN_HELD = 16_384;

    private final ReportOutcomes outcomes;
    private final Deadlines deadlines;
    private ProcessorContext<String, UnitOutput> context;
    private KeyValueStore<String, Report> reports;
    private KeyValueStore<AttendanceYear, String> attendanceYears;
    /**
     * The keys of attendanceYears, school ids per school year, so that a report costs no read to
     * find whether it is its school's first day of the year. One entry a school and school year
     * that has attendance (tens of bytes each): for every school of a country over ten years, a few
     * tens of megabytes spread over the instances; a store read per report instead would cost a
     * RocksDB get on every new day, and a scan of school-reports at init would read every report.
     */
    private final Map<String, Set<String>> schoolsWithAttendance = new HashMap<>();
    private RowStore rows;
    /**
     * What the task copies of each school from its stores, so that a report costs no read but
     * the one of its natural key, and an attendance report of its school's newest day not even
     * that one: the reads of a school's rows (two RocksDB gets a report) and of a key that was not
     * there (most reports are new) were a fifth of the stream threads' CPU, the more so as
     * RocksJava throws and catches a C++ exception inside for every key it does not find. The
     * stores stay the truth: a copy dropped (beyond {@link #SCHOOLS_HELD}) is read again.
     */
    private final Map<String, Copies> copies = new RecentlyUsed<>(SCHOOLS_HELD);
    /** The parents the routings held name, each one instance shared by its schools (a dropped one is only a copy more). */
    private final Map<Target, Target> parents = new RecentlyUsed<>(SCHOOLS_HELD);
    private KeyValueStore<String, String> attendanceDays;
    /** The keys of attendanceDays, so that a report costs no read to find its date known. */
    private final Set<LocalDate> knownDays = new HashSet<>();
    private KeyValueStore<String, String> examCatalogue;
    private KeyValueStore<String, String> examReports;
    /** The keys of examCatalogue. */
    private final Set<String> definedExams = new HashSet<>();
    /**
     * The deltas of the records processed since the task's last commit, summed per unit and
     * period, sent just before the next commit ({@link BeforeCommit}): consecutive reports of one
     * district's schools cost it one record, not one each, and the records are visible downstream
     * only once the commit is made either way.
     */
    private final Map<Target, Map<Period, long[]>> pending = new LinkedHashMap<>();
    private int pendingCount;
    private long pendingTimestamp;
    /**
     * The winning revisions accepted since the task's last commit, by natural key, written to
     * {@code school-reports} together just before the next ({@link #beforeCommit()}): one RocksDB
     * write batch and one position update a commit instead of a write each (RocksDB's own cost of
     * a write, outside its memtable, was a twentieth of the stream threads). Nothing reads the
     * store but this stage, through {@link #stored}, which looks here first, and the scans, which
     * write these first; the API's list of a school's reports sees them at the commit that makes
     * their figures visible. Written to the changelog in that commit's transaction, as before.
     */
    private final Map<String, Report> unwritten = new LinkedHashMap<>();
    private BeforeCommit beforeCommit;

    private SchoolStage(ReportOutcomes outcomes, Deadlines deadlines) {
        this.outcomes = outcomes;
        this.deadlines = deadlines;
    }

    /** The stage with the stores it owns (names are deployed state: renaming one orphans its changelog). */
    public static ProcessorSupplier<String, SchoolInput, String, UnitOutput> supplier(ReportOutcomes outcomes,
                                                                                     Deadlines deadlines) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SchoolInput, String, UnitOutput> get() {
                return new SchoolStage(outcomes, deadlines);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                // Written once per report: no repeated updates for a record cache to fold.
                return Set.of(
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REPORTS), Serdes.String(),
                                InternalCodec.REPORT).withCachingDisabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ATTENDANCE_YEARS),
                                AttendanceYear.SERDE, Serdes.String()).withCachingDisabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ROWS), Row.SERDE,
                                InternalCodec.UNIT_ROW).withCachingDisabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ATTENDANCE_DAYS), Serdes.String(),
                                Serdes.String()).withCachingDisabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EXAM_CATALOGUE), Serdes.String(),
                                Serdes.String()).withCachingDisabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EXAM_REPORTS), Serdes.String(),
                                Serdes.String()).withCachingDisabled(),
                        BeforeCommit.store(SEND_BEFORE_COMMIT));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, UnitOutput> context) {
        this.context = context;
        this.reports = context.getStateStore(REPORTS);
        this.attendanceYears = context.getStateStore(ATTENDANCE_YEARS);
        this.rows = new RowStore(context.getStateStore(ROWS), null);
        this.attendanceDays = context.getStateStore(ATTENDANCE_DAYS);
        // init runs again when a task is revived after an aborted transaction, its stores rolled
        // back: the copies below must be read afresh, never added to what the aborted work left.
        knownDays.clear();
        definedExams.clear();
        schoolsWithAttendance.clear();
        copies.clear();
        pending.clear();
        pendingCount = 0;
        pendingTimestamp = 0;
        unwritten.clear();
        this.beforeCommit = BeforeCommit.register(context, SEND_BEFORE_COMMIT, this::beforeCommit);
        // A few hundred school days a year: small enough to hold.
        try (KeyValueIterator<String, String> it = attendanceDays.all()) {
            it.forEachRemaining(e -> knownDays.add(LocalDate.parse(e.key)));
        }
        try (KeyValueIterator<AttendanceYear, String> it = attendanceYears.all()) {
            it.forEachRemaining(e -> schoolsWithAttendance.computeIfAbsent(e.key.schoolYear(), y -> new HashSet<>())
                    .add(e.key.schoolId()));
        }
        this.examCatalogue = context.getStateStore(EXAM_CATALOGUE);
        this.examReports = context.getStateStore(EXAM_REPORTS);
        try (KeyValueIterator<String, String> it = examCatalogue.all()) {
            it.forEachRemaining(e -> definedExams.add(e.key));
        }
    }

    @Override
    public void process(Record<String, SchoolInput> record) {
        if (record.value() instanceof ReportArrived arrived) {
            report(record, arrived.report());
        } else if (record.value() instanceof RowChanged changed) {
            rowChanged(record, record.key(), changed);
        } else if (record.value() instanceof SchoolInput.ExamChanged changed) {
            examChanged(record, changed);
        }
    }

    private void report(Record<String, SchoolInput> record, Report report) {
        String naturalKey = report.naturalKey();
        // Attendance of a day after its school's latest held is new: its natural key needs no read.
        Copies school = report instanceof AttendanceReport attendance ? withLatestDay(attendance.schoolId()) : null;
        Report current = school != null && ((AttendanceReport) report).date().toEpochDay() > school.latestDay ? null
                : stored(naturalKey);
        if (current != null && report.revision() <= current.revision()) {
            outcomes.record(report.reportType(),
                    report.revision() == current.revision() ? Outcome.DUPLICATE : Outcome.STALE);
            if (earlier(report.submittedAt(), current.submittedAt())) {
                // A revision that lost, read late, but submitted first: the key's first submission moves back.
                Report kept = current.withSubmittedAt(report.submittedAt());
                store(naturalKey, kept);
                send(record, report.schoolId(), counted(current), counted(kept), false);
            }
            return;
        }
        outcomes.record(report.reportType(), Outcome.ACCEPTED);
        if (current != null && earlier(current.submittedAt(), report.submittedAt())) {
            report = report.withSubmittedAt(current.submittedAt());
        }
        store(naturalKey, report);
        // Indexed by code for the day the code enters or leaves the catalogue; a built-in code never
        // does, so its reports (most of them) cost no index write.
        if (current == null && report instanceof ExamReport exam && !Exam.BUILT_IN.containsKey(exam.exam())) {
            examReports.put(exam.exam() + "|" + naturalKey, "");
        }
        boolean firstDayOfYear = false;
        if (report instanceof AttendanceReport attendance) {
            school.latestDay = Math.max(school.latestDay, attendance.date().toEpochDay());
            if (knownDays.add(attendance.date())) {
                attendanceDays.put(attendance.date().toString(), "");
            }
            // A correction is never a first day: its day was there before it.
            firstDayOfYear = current == null && firstDayOfYear(attendance.schoolId(), attendance.schoolYear());
        }
        send(record, report.schoolId(), counted(current), counted(report), firstDayOfYear);
    }

    /** The winning revision of a natural key, or null. */
    private Report stored(String naturalKey) {
        Report report = unwritten.get(naturalKey);
        return report != null ? report : reports.get(naturalKey);
    }

    /** Makes {@code report} the winning revision of its natural key: written before the next commit. */
    private void store(String naturalKey, Report report) {
        unwritten.put(naturalKey, report);
        // The changelog records take the context of the last record that left something to write.
        beforeCommit.note();
        if (unwritten.size() >= UNWRITTEN_HELD) {
            writeReports();
        }
    }

    /** Writes the winning revisions accepted since the last write, in one batch. */
    private void writeReports() {
        if (unwritten.isEmpty()) {
            return;
        }
        List<KeyValue<String, Report>> batch = new ArrayList<>(unwritten.size());
        unwritten.forEach((naturalKey, report) -> batch.add(KeyValue.pair(naturalKey, report)));
        reports.putAll(batch);
        unwritten.clear();
    }

    /** What a task does just before it commits: its reports written, its deltas sent. */
    private void beforeCommit() {
        writeReports();
        sendPending();
    }

    /** A school's copies: its routing (null until read) and its latest attendance day. */
    private static final class Copies {
        private static final long UNREAD = Long.MIN_VALUE;
        private static final long NO_DAY = Long.MIN_VALUE + 1;
        Routing routing;
        /** The epoch day of the school's latest attendance report held, NO_DAY for none. */
        long latestDay = UNREAD;
    }

    private Copies copies(String schoolId) {
        return copies.computeIfAbsent(schoolId, id -> new Copies());
    }

    /**
     * The school's copies with its latest attendance day loaded ({@link Copies#latestDay}), from
     * memory or else from the store's last key of the school's attendance: dates are
     * {@code YYYY-MM-DD} (the parser accepts no other form), so text order is date order, and a
     * school id holds no {@code |}, so the range is the school's alone. A school with no
     * attendance in any year needs no read; the reports waiting to be written are written first.
     */
    private Copies withLatestDay(String schoolId) {
        Copies copy = copies(schoolId);
        if (copy.latestDay == Copies.UNREAD) {
            copy.latestDay = Copies.NO_DAY;
            if (schoolsWithAttendance.values().stream().anyMatch(schools -> schools.contains(schoolId))) {
                writeReports();
                String prefix = AttendanceReport.naturalKeyPrefix(schoolId);
                try (KeyValueIterator<String, Report> it = reports.reverseRange(prefix, prefix + '\uffff')) {
                    if (it.hasNext()) {
                        copy.latestDay = LocalDate.parse(it.next().key.substring(prefix.length())).toEpochDay();
                    }
                }
            }
        }
        return copy;
    }

    /** True when {@code a} is a submission before {@code b} (an unknown one, null, is never before another). */
    private static boolean earlier(java.time.Instant a, java.time.Instant b) {
        return a != null && (b == null || a.isBefore(b));
    }

    /** Records that a school has attendance in a school year; true when it had none before (written once). */
    private boolean firstDayOfYear(String schoolId, String schoolYear) {
        if (!schoolsWithAttendance.computeIfAbsent(schoolYear, y -> new HashSet<>()).add(schoolId)) {
            return false;
        }
        attendanceYears.put(new AttendanceYear(schoolId, schoolYear), "");
        return true;
    }

    /**
     * The report as the aggregates count it: an exam report whose code is not in the catalogue is
     * held (kept as the winning revision, counted nowhere) until an operator adds the code.
     */
    private Report counted(Report report) {
        return report instanceof ExamReport exam && !examDefined(exam.exam()) ? null : report;
    }

    private boolean examDefined(String code) {
        return Exam.BUILT_IN.containsKey(code) || definedExams.contains(code);
    }

    /**
     * Sends the unit what replacing {@code before} by {@code after} (counted reports of one natural
     * key, either may be null) changes in what the school adds to it.
     */
    private void send(Record<String, SchoolInput> record, String schoolId, Report before, Report after,
                      boolean firstDayOfYear) {
        Map<Period, long[]> change = Contributions.changeToUnit(before, after, firstDayOfYear, deadlines);
        if (change.isEmpty()) {
            return;
        }
        Routing routing = routing(schoolId);
        Sends sends = new Sends();
        change.forEach((period, counts) -> routing.route(period, counts, sends));
        sends.hold(record);
    }

    /**
     * A code entered or left the catalogue: every report of it this task holds starts or stops
     * counting. An exam report is the whole of its school's aggregate for its period (one exam of
     * one school year), so each is added or withdrawn on its own, without summing the school's
     * other reports.
     */
    private void examChanged(Record<String, SchoolInput> record, SchoolInput.ExamChanged changed) {
        String code = changed.code();
        boolean before = examDefined(code);
        if (changed.defined()) {
            definedExams.add(code);
            examCatalogue.put(code, "");
        } else {
            definedExams.remove(code);
            examCatalogue.delete(code);
        }
        if (examDefined(code) == before) {
            return;
        }
        List<String> naturalKeys = new ArrayList<>();
        try (KeyValueIterator<String, String> it = examReports.prefixScan(code + "|", new StringSerializer())) {
            it.forEachRemaining(e -> naturalKeys.add(e.key.substring(code.length() + 1)));
        }
        for (String naturalKey : naturalKeys) {
            Report report = stored(naturalKey);
            send(record, report.schoolId(), before ? report : null, before ? null : report, false);
        }
    }

    private Routing routing(String schoolId) {
        Copies copy = copies(schoolId);
        if (copy.routing == null) {
            copy.routing = rows.routing(schoolId).parentsOnly(this::shared);
        }
        return copy.routing;
    }

    private Target shared(Target parent) {
        return parents.computeIfAbsent(parent, p -> p);
    }

    private UnitRow slim(UnitRow row) {
        return Routing.parentOnly(row, this::shared);
    }

    private void rowChanged(Record<String, SchoolInput> record, String schoolId, RowChanged changed) {
        Routing before = routing(schoolId);
        rows.put(schoolId, changed.schoolYear(), changed.row());
        Routing after = before.withRow(changed.schoolYear(), slim(changed.row()));
        copies(schoolId).routing = after;
        Sends sends = new Sends();
        held(schoolId).forEach((period, counts) -> {
            before.route(period, Counts.negate(counts), sends);
            after.route(period, counts, sends);
        });
        sends.hold(record);
    }

    /**
     * What a school adds to its units, per period: one registered school, and its aggregates
     * summed from its counted reports, as the units count them ({@link Contributions#schoolToUnit}).
     *
     * <p>This reads every report the school holds, of every school year (about two hundred a year:
     * one a school day, a few completion and exam reports), even when the row that changed is one
     * year's: affordable because it runs only when one of the school's rows changes, a few times a
     * year (a new year's map, a school moving), never per report.
     */
    private Map<Period, long[]> held(String schoolId) {
        Map<Period, long[]> totals = new LinkedHashMap<>();
        totals.put(Period.registered(), Contributions.registration());
        writeReports();
        try (KeyValueIterator<String, Report> it = reports.prefixScan(Report.naturalKeyPrefix(schoolId),
                StoreKeys.PREFIX)) {
            while (it.hasNext()) {
                Report report = counted(it.next().value);
                if (report != null) {
                    Contributions.of(report, deadlines).forEach((period, counts) -> totals.merge(period, counts, Counts::plus));
                }
            }
        }
        totals.replaceAll(Contributions::schoolToUnit);
        return totals;
    }

    /** Deltas for the units above, added to what the task sends before its next commit. */
    private final class Sends implements Routing.Sink {
        private boolean any;

        @Override
        public void add(Target target, String clusterYear, Period period, long[] counts) {
            if (counts == null) {
                return;
            }
            Map<Period, long[]> periods = pending.computeIfAbsent(target, t -> new LinkedHashMap<>());
            long[] before = periods.get(period);
            if (before == null) {
                periods.put(period, counts.clone());
                pendingCount++;
            } else {
                for (int i = 0; i < counts.length; i++) {
                    before[i] += counts[i];
                }
            }
            any = true;
        }

        /** What {@code record} added is held for the next commit, in its record's context. */
        void hold(Record<String, SchoolInput> record) {
            if (!any) {
                return;
            }
            pendingTimestamp = Math.max(pendingTimestamp, record.timestamp());
            beforeCommit.note();
            if (pendingCount >= PENDING_HELD) {
                context.commit();
            }
        }
    }

    /** Sends what the records since the last commit owe each unit, one record a unit, and forgets it. */
    private void sendPending() {
        if (pending.isEmpty()) {
            return;
        }
        // Forgotten before it is sent: a send that fails halfway cannot leave some units to be sent twice.
        Map<Target, Map<Period, long[]>> sending = new LinkedHashMap<>(pending);
        long timestamp = pendingTimestamp;
        pending.clear();
        pendingCount = 0;
        pendingTimestamp = 0;
        sending.forEach((target, periods) -> {
            List<PeriodDelta> deltas = new ArrayList<>();
            periods.forEach((period, counts) -> {
                if (!Counts.isZero(counts)) {
                    deltas.add(new PeriodDelta(period, counts));
                }
            });
            if (!deltas.isEmpty()) {
                context.forward(new Record<>(target.code(), new Forward(target.stage(), new Deltas(deltas)),
                        timestamp));
            }
        });
    }
}

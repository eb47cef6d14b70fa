package io.schoolstats.stage;

import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.EmulationScheme;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.AttendanceReport;
import io.schoolstats.report.CompletionReport;
import io.schoolstats.report.ExamReport;
import io.schoolstats.report.Level;
import io.schoolstats.report.Report;
import io.schoolstats.stage.SchoolInput.ReportArrived;
import io.schoolstats.stage.UnitInput.ClusterChanged;
import io.schoolstats.stage.UnitInput.Deltas;
import io.schoolstats.stage.UnitInput.Member;
import io.schoolstats.stage.UnitInput.MembershipChanged;
import io.schoolstats.stage.UnitInput.Shares;
import io.schoolstats.stats.Period;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The compact binary form of what the engine writes to its internal topics and stores. Every
 * report crosses several of them, and JSON there cost a fifth of the stream thread's time
 * (measured with the benchmark). Each record starts with a format version, and each variant
 * with a tag: a version or tag this code does not know is refused with an error, never read as
 * something else. Earlier versions are not read, their state must be rebuilt (README,
 * "Upgrading"): version 1 (before school-year maps) and version 2 (before units sent their
 * parents shares instead of deltas and the school stage kept {@code school-stats}: state of
 * version 2 read by this code would count a school's year as a second reporting school on its
 * next day, and a province would take a district's first share as new), and version 3 (before
 * timeliness: its count vectors are shorter, and its stored reports hold the winning revision's
 * submission instead of the natural key's first), and version 4 (before school rows kept their
 * level: a list of one level would leave out every school stored then).
 */
public final class InternalCodec {
    static final byte VERSION = 5;

    private static final byte REPORT_ARRIVED = 'R';
    private static final byte ROW_CHANGED = 'W';
    private static final byte EXAM_CHANGED = 'X';
    private static final byte DELTAS = 'D';
    private static final byte SHARES = 'S';
    private static final byte MEMBERSHIP = 'M';
    private static final byte CLUSTER_CHANGED = 'C';
    private static final byte SCHEME_CHANGED = 'H';
    private static final byte SCORE_ARRIVED = 'O';
    private static final byte RULE_NONE = 'N';
    private static final byte RULE_LINEAR = 'L';
    private static final byte RULE_THRESHOLDS = 'T';
    private static final byte ATTENDANCE = 'A';
    private static final byte COMPLETION = 'P';
    private static final byte EXAM = 'E';

    private InternalCodec() {
    }

    static final Serde<SchoolInput> SCHOOL_INPUT = serde(InternalCodec::writeSchoolInput, InternalCodec::readSchoolInput);
    static final Serde<UnitInput> UNIT_INPUT = serde(InternalCodec::writeUnitInput, InternalCodec::readUnitInput);
    static final Serde<Report> REPORT = serde(InternalCodec::writeReport, InternalCodec::readReport);
    static final Serde<UnitRow> UNIT_ROW = serde(InternalCodec::writeRow, InternalCodec::readRow);
    static final Serde<Cluster> CLUSTER = serde(InternalCodec::writeCluster, InternalCodec::readCluster);
    static final Serde<Member> MEMBER = serde(InternalCodec::writeMember, InternalCodec::readMember);
    static final Serde<EmulationScheme> SCHEME = serde(InternalCodec::writeScheme, InternalCodec::readScheme);

    /** The serde of the school stage's input topic. */
    public static Serde<SchoolInput> schoolInput() {
        return SCHOOL_INPUT;
    }

    /** The serde of the unit stages' input topics. */
    public static Serde<UnitInput> unitInput() {
        return UNIT_INPUT;
    }

    interface Writer<T> {
        void write(BinaryWriter out, T value) throws IOException;
    }

    interface Reader<T> {
        T read(BinaryReader in) throws IOException;
    }

    private static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader) {
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            BinaryWriter out = new BinaryWriter();
            try {
                out.writeByte(VERSION);
                writer.write(out, value);
            } catch (IOException e) {
                throw new SerializationException("cannot write " + value.getClass().getSimpleName(), e);
            }
            return out.toByteArray();
        };
        Deserializer<T> deserializer = (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                BinaryReader in = new BinaryReader(data);
                byte version = in.readByte();
                if (version != VERSION) {
                    throw new SerializationException("an internal record of " + topic + " has format version " + version
                            + ", this version reads only " + VERSION + ": rebuild the state (README, Upgrading)");
                }
                T value = reader.read(in);
                if (in.available() > 0) {
                    throw new SerializationException("an internal record of " + topic + " has " + in.available()
                            + " bytes after its end");
                }
                return value;
            } catch (IOException e) {
                throw new SerializationException("cannot read an internal record of " + topic, e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** An enum constant by name; a name this code does not know is refused, not guessed. */
    private static <E extends Enum<E>> E known(Class<E> type, String name) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("unknown " + type.getSimpleName() + " '" + name + "' in an internal record");
        }
    }

    private static SerializationException unknown(String what, byte tag) {
        return new SerializationException("unknown " + what + " tag " + tag + " in an internal record");
    }

    private static void writeSchoolInput(BinaryWriter out, SchoolInput input) throws IOException {
        if (input instanceof ReportArrived arrived) {
            out.writeByte(REPORT_ARRIVED);
            writeReport(out, arrived.report());
        } else if (input instanceof RowChanged changed) {
            out.writeByte(ROW_CHANGED);
            writeRowChanged(out, changed);
        } else if (input instanceof SchoolInput.ExamChanged exam) {
            out.writeByte(EXAM_CHANGED);
            out.writeUTF(exam.code());
            out.writeBoolean(exam.defined());
        }
    }

    private static SchoolInput readSchoolInput(BinaryReader in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case REPORT_ARRIVED -> new ReportArrived(readReport(in));
            case ROW_CHANGED -> readRowChanged(in);
            case EXAM_CHANGED -> new SchoolInput.ExamChanged(in.readUTF(), in.readBoolean());
            default -> throw unknown("school input", tag);
        };
    }

    private static void writeRowChanged(BinaryWriter out, RowChanged changed) throws IOException {
        writeNullable(out, changed.schoolYear());
        out.writeBoolean(changed.row() != null);
        if (changed.row() != null) {
            writeRow(out, changed.row());
        }
    }

    private static RowChanged readRowChanged(BinaryReader in) throws IOException {
        String year = readNullable(in);
        return new RowChanged(year, in.readBoolean() ? readRow(in) : null);
    }

    private static void writeRow(BinaryWriter out, UnitRow row) throws IOException {
        out.writeUTF(row.code());
        out.writeUTF(row.name());
        writeNullable(out, row.scope() == null ? null : row.scope().name());
        out.writeBoolean(row.parent() != null);
        if (row.parent() != null) {
            out.writeUTF(row.parent().stage().name());
            out.writeUTF(row.parent().code());
        }
        writeNullable(out, row.level());
    }

    private static UnitRow readRow(BinaryReader in) throws IOException {
        String code = in.readUTF();
        String name = in.readUTF();
        String scope = readNullable(in);
        Target parent = null;
        if (in.readBoolean()) {
            parent = new Target(known(Stage.class, in.readUTF()), in.readUTF());
        }
        String level = readNullable(in);
        return new UnitRow(code, name, scope == null ? null : known(Scope.class, scope), parent, level);
    }

    private static void writeReport(BinaryWriter out, Report report) throws IOException {
        out.writeUTF(report.schoolId());
        out.writeLong(report.revision());
        out.writeLong(report.submittedAt() == null ? Long.MIN_VALUE : report.submittedAt().toEpochMilli());
        if (report instanceof AttendanceReport a) {
            out.writeByte(ATTENDANCE);
            out.writeLong(a.date().toEpochDay());
            out.writeLong(a.enrolled());
            out.writeLong(a.present());
        } else if (report instanceof CompletionReport c) {
            out.writeByte(COMPLETION);
            out.writeUTF(c.schoolYear());
            out.writeUTF(c.level().name());
            out.writeLong(c.assessed());
            out.writeLong(c.completed());
            out.writeLong(c.conductGood() == null ? -1 : c.conductGood());
        } else if (report instanceof ExamReport e) {
            out.writeByte(EXAM);
            out.writeUTF(e.schoolYear());
            out.writeUTF(e.exam());
            out.writeLong(e.candidates());
            out.writeLong(e.passed());
            out.writeBoolean(e.scoreBands() != null);
            if (e.scoreBands() != null) {
                for (long band : e.scoreBands()) {
                    out.writeLong(band);
                }
            }
            out.writeBoolean(e.awards() != null);
            if (e.awards() != null) {
                out.writeLong(e.awards().first());
                out.writeLong(e.awards().second());
                out.writeLong(e.awards().third());
                out.writeLong(e.awards().consolation());
            }
        }
    }

    private static Report readReport(BinaryReader in) throws IOException {
        String school = in.readUTF();
        long revision = in.readLong();
        long millis = in.readLong();
        Instant submitted = millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
        byte type = in.readByte();
        switch (type) {
            case ATTENDANCE -> {
                return new AttendanceReport(school, LocalDate.ofEpochDay(in.readLong()), in.readLong(), in.readLong(),
                        revision, submitted);
            }
            case COMPLETION -> {
                String year = in.readUTF();
                Level level = known(Level.class, in.readUTF());
                long assessed = in.readLong();
                long completed = in.readLong();
                long conduct = in.readLong();
                return new CompletionReport(school, year, level, assessed, completed, conduct < 0 ? null : conduct,
                        revision, submitted);
            }
            case EXAM -> {
                String year = in.readUTF();
                String exam = in.readUTF();
                long candidates = in.readLong();
                long passed = in.readLong();
                List<Long> bands = null;
                if (in.readBoolean()) {
                    bands = new ArrayList<>(10);
                    for (int i = 0; i < 10; i++) {
                        bands.add(in.readLong());
                    }
                }
                ExamReport.Awards awards = in.readBoolean()
                        ? new ExamReport.Awards(in.readLong(), in.readLong(), in.readLong(), in.readLong()) : null;
                return new ExamReport(school, year, exam, candidates, passed, bands, awards, revision, submitted);
            }
            default -> throw unknown("report type", type);
        }
    }

    private static void writeUnitInput(BinaryWriter out, UnitInput input) throws IOException {
        if (input instanceof Deltas d) {
            out.writeByte(DELTAS);
            writePeriodCounts(out, d.deltas());
        } else if (input instanceof Shares s) {
            out.writeByte(SHARES);
            out.writeUTF(s.from());
            out.writeBoolean(s.member() != null);
            if (s.member() != null) {
                writeMember(out, s.member());
            }
            writePeriodCounts(out, s.shares());
        } else if (input instanceof RowChanged r) {
            out.writeByte(ROW_CHANGED);
            writeRowChanged(out, r);
        } else if (input instanceof MembershipChanged m) {
            out.writeByte(MEMBERSHIP);
            out.writeUTF(m.clusterId());
            out.writeUTF(m.schoolYear());
            out.writeBoolean(m.member());
        } else if (input instanceof ClusterChanged c) {
            out.writeByte(CLUSTER_CHANGED);
            out.writeUTF(c.schoolYear());
            out.writeBoolean(c.cluster() != null);
            if (c.cluster() != null) {
                writeCluster(out, c.cluster());
            }
        } else if (input instanceof UnitInput.SchemeChanged c) {
            out.writeByte(SCHEME_CHANGED);
            out.writeUTF(c.schoolYear());
            out.writeBoolean(c.scheme() != null);
            if (c.scheme() != null) {
                writeScheme(out, c.scheme());
            }
        } else if (input instanceof UnitInput.ScoreArrived a) {
            out.writeByte(SCORE_ARRIVED);
            io.schoolstats.report.EmulationScore s = a.score();
            out.writeUTF(s.clusterId());
            out.writeUTF(s.schoolYear());
            out.writeUTF(s.member());
            out.writeUTF(s.criterion());
            out.writeLong(s.hundredths());
            out.writeLong(s.revision());
            out.writeLong(s.submittedAt() == null ? Long.MIN_VALUE : s.submittedAt().toEpochMilli());
        }
    }

    private static UnitInput readUnitInput(BinaryReader in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case DELTAS -> {
                return new Deltas(readPeriodCounts(in));
            }
            case SHARES -> {
                String from = in.readUTF();
                Member member = in.readBoolean() ? readMember(in) : null;
                return new Shares(from, readPeriodCounts(in), member);
            }
            case ROW_CHANGED -> {
                return readRowChanged(in);
            }
            case MEMBERSHIP -> {
                return new MembershipChanged(in.readUTF(), in.readUTF(), in.readBoolean());
            }
            case CLUSTER_CHANGED -> {
                String year = in.readUTF();
                return new ClusterChanged(year, in.readBoolean() ? readCluster(in) : null);
            }
            case SCHEME_CHANGED -> {
                String year = in.readUTF();
                return new UnitInput.SchemeChanged(year, in.readBoolean() ? readScheme(in) : null);
            }
            case SCORE_ARRIVED -> {
                String clusterId = in.readUTF();
                String year = in.readUTF();
                String member = in.readUTF();
                String criterion = in.readUTF();
                long hundredths = in.readLong();
                long revision = in.readLong();
                long submitted = in.readLong();
                return new UnitInput.ScoreArrived(new io.schoolstats.report.EmulationScore(clusterId, year, member,
                        criterion, hundredths, revision,
                        submitted == Long.MIN_VALUE ? null : java.time.Instant.ofEpochMilli(submitted)));
            }
            default -> throw unknown("unit input", tag);
        }
    }

    private static void writePeriodCounts(BinaryWriter out, List<PeriodDelta> values) throws IOException {
        out.writeInt(values.size());
        for (PeriodDelta value : values) {
            out.writeUTF(value.period().encode());
            out.writeByte(value.counts().length);
            for (long c : value.counts()) {
                out.writeLong(c);
            }
        }
    }

    private static List<PeriodDelta> readPeriodCounts(BinaryReader in) throws IOException {
        int n = in.readInt();
        List<PeriodDelta> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Period period = period(in.readUTF());
            long[] counts = new long[in.readByte()];
            if (counts.length != period.kind().size()) {
                throw new SerializationException("a value of " + period + " has " + counts.length + " counts");
            }
            for (int j = 0; j < counts.length; j++) {
                counts[j] = in.readLong();
            }
            values.add(new PeriodDelta(period, counts));
        }
        return values;
    }

    private static Period period(String text) {
        try {
            return Period.decode(text);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("not a period: " + text, e);
        }
    }

    private static void writeCluster(BinaryWriter out, Cluster c) throws IOException {
        out.writeUTF(c.clusterId());
        out.writeUTF(c.name());
        out.writeUTF(c.schoolYear());
        out.writeUTF(c.scope().name());
        out.writeInt(c.members().size());
        for (String member : c.members()) {
            out.writeUTF(member);
        }
        writeNullable(out, c.head());
    }

    private static Cluster readCluster(BinaryReader in) throws IOException {
        String id = in.readUTF();
        String name = in.readUTF();
        String year = in.readUTF();
        Scope scope = known(Scope.class, in.readUTF());
        int n = in.readInt();
        List<String> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            members.add(in.readUTF());
        }
        return new Cluster(id, name, year, scope, members, readNullable(in));
    }

    /**
     * A scheme field by field. It was validated when it arrived; reading it back checks only its
     * structure, so that a rule tightened by a later version never stops the stream on a stored one.
     */
    private static void writeScheme(BinaryWriter out, EmulationScheme scheme) throws IOException {
        out.writeUTF(scheme.clusterId());
        out.writeUTF(scheme.schoolYear());
        out.writeUTF(scheme.name());
        out.writeInt(scheme.criteria().size());
        for (EmulationScheme.Criterion c : scheme.criteria()) {
            out.writeUTF(c.id());
            out.writeUTF(c.name());
            out.writeDouble(c.maxPoints());
            writeNullable(out, c.indicator());
            if (c.rule() instanceof EmulationScheme.Linear linear) {
                out.writeByte(RULE_LINEAR);
                out.writeDouble(linear.from());
                out.writeDouble(linear.to());
            } else if (c.rule() instanceof EmulationScheme.Thresholds thresholds) {
                out.writeByte(RULE_THRESHOLDS);
                out.writeInt(thresholds.steps().size());
                for (EmulationScheme.Step step : thresholds.steps()) {
                    out.writeDouble(step.atLeast());
                    out.writeDouble(step.points());
                }
            } else {
                out.writeByte(RULE_NONE);
            }
        }
        EmulationScheme.Flag flag = scheme.flag();
        out.writeInt(flag == null || flag.top() == null ? -1 : flag.top());
        out.writeDouble(flag == null || flag.minTotal() == null ? Double.NaN : flag.minTotal());
        out.writeBoolean(flag != null);
    }

    private static EmulationScheme readScheme(BinaryReader in) throws IOException {
        String clusterId = in.readUTF();
        String year = in.readUTF();
        String name = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new SerializationException("a scheme of " + n + " criteria in an internal record");
        }
        List<EmulationScheme.Criterion> criteria = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            String criterionName = in.readUTF();
            double max = in.readDouble();
            String indicator = readNullable(in);
            byte tag = in.readByte();
            EmulationScheme.Rule rule = switch (tag) {
                case RULE_NONE -> null;
                case RULE_LINEAR -> new EmulationScheme.Linear(in.readDouble(), in.readDouble());
                case RULE_THRESHOLDS -> {
                    int steps = in.readInt();
                    if (steps < 0 || steps > in.available()) {
                        throw new SerializationException("a rule of " + steps + " steps in an internal record");
                    }
                    List<EmulationScheme.Step> list = new ArrayList<>(steps);
                    for (int s = 0; s < steps; s++) {
                        list.add(new EmulationScheme.Step(in.readDouble(), in.readDouble()));
                    }
                    yield new EmulationScheme.Thresholds(List.copyOf(list));
                }
                default -> throw unknown("rule", tag);
            };
            criteria.add(new EmulationScheme.Criterion(id, criterionName, max, indicator, rule));
        }
        int top = in.readInt();
        double minTotal = in.readDouble();
        EmulationScheme.Flag flag = in.readBoolean()
                ? new EmulationScheme.Flag(top < 0 ? null : top, Double.isNaN(minTotal) ? null : minTotal) : null;
        return new EmulationScheme(clusterId, year, name, List.copyOf(criteria), flag);
    }

    private static void writeMember(BinaryWriter out, Member m) throws IOException {
        out.writeUTF(m.code());
        out.writeUTF(m.schoolYear());
        out.writeUTF(m.scope());
        out.writeUTF(m.name());
    }

    private static Member readMember(BinaryReader in) throws IOException {
        return new Member(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF());
    }

    private static void writeNullable(BinaryWriter out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(BinaryReader in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}

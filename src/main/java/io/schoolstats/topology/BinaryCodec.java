package io.schoolstats.topology;

import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.School;
import io.schoolstats.report.AttendanceReport;
import io.schoolstats.report.CompletionReport;
import io.schoolstats.report.ExamReport;
import io.schoolstats.report.Json;
import io.schoolstats.report.Level;
import io.schoolstats.report.Report;
import io.schoolstats.topology.Messages.ClusterChanged;
import io.schoolstats.topology.Messages.Deltas;
import io.schoolstats.topology.Messages.MembershipChanged;
import io.schoolstats.topology.Messages.PeriodDelta;
import io.schoolstats.topology.Messages.ReportArrived;
import io.schoolstats.topology.Messages.SchoolChanged;
import io.schoolstats.topology.Messages.SchoolInput;
import io.schoolstats.topology.Messages.UnitChanged;
import io.schoolstats.topology.Messages.UnitInput;
import io.schoolstats.topology.Messages.UnitRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary form of the records on the hot path (repartition topics and the reports
 * store). Every report crosses several of them, and JSON there cost a fifth of the stream
 * thread's time (measured with the benchmark). A leading version byte leaves room to change it.
 */
final class BinaryCodec {
    private static final byte VERSION = 1;

    private BinaryCodec() {
    }

    static final Serde<SchoolInput> SCHOOL_INPUT = serde(BinaryCodec::writeSchoolInput, BinaryCodec::readSchoolInput);
    static final Serde<UnitInput> UNIT_INPUT = serde(BinaryCodec::writeUnitInput, BinaryCodec::readUnitInput);
    static final Serde<Report> REPORT = serde(BinaryCodec::writeReport, BinaryCodec::readReport);

    interface Writer<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader) {
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(VERSION);
                writer.write(out, value);
            } catch (IOException e) {
                throw new SerializationException("cannot write " + value.getClass().getSimpleName(), e);
            }
            return bytes.toByteArray();
        };
        Deserializer<T> deserializer = (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                byte version = in.readByte();
                if (version != VERSION) {
                    throw new SerializationException("unknown version " + version + " of an internal record on " + topic);
                }
                return reader.read(in);
            } catch (IOException e) {
                throw new SerializationException("cannot read an internal record of " + topic, e);
            }
        };
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(serializer, deserializer);
    }

    private static void writeSchoolInput(DataOutputStream out, SchoolInput input) throws IOException {
        if (input instanceof ReportArrived arrived) {
            out.writeByte('R');
            writeReport(out, arrived.report());
        } else if (input instanceof SchoolChanged changed) {
            out.writeByte('S');
            School s = changed.school();
            out.writeBoolean(s != null);
            if (s != null) {
                out.writeUTF(s.schoolId());
                out.writeUTF(s.name());
                out.writeUTF(s.level());
                out.writeUTF(s.district());
            }
        }
    }

    private static SchoolInput readSchoolInput(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        if (tag == 'R') {
            return new ReportArrived(readReport(in));
        }
        return new SchoolChanged(in.readBoolean() ? new School(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF()) : null);
    }

    private static void writeReport(DataOutputStream out, Report report) throws IOException {
        out.writeUTF(report.schoolId());
        out.writeLong(report.revision());
        out.writeLong(report.submittedAt() == null ? Long.MIN_VALUE : report.submittedAt().toEpochMilli());
        if (report instanceof AttendanceReport a) {
            out.writeByte('A');
            out.writeLong(a.date().toEpochDay());
            out.writeLong(a.enrolled());
            out.writeLong(a.present());
        } else if (report instanceof CompletionReport c) {
            out.writeByte('C');
            out.writeUTF(c.schoolYear());
            out.writeByte(c.level().ordinal());
            out.writeLong(c.assessed());
            out.writeLong(c.completed());
            out.writeLong(c.conductGood() == null ? -1 : c.conductGood());
        } else if (report instanceof ExamReport e) {
            out.writeByte('E');
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

    private static Report readReport(DataInputStream in) throws IOException {
        String school = in.readUTF();
        long revision = in.readLong();
        long millis = in.readLong();
        Instant submitted = millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
        byte type = in.readByte();
        if (type == 'A') {
            return new AttendanceReport(school, LocalDate.ofEpochDay(in.readLong()), in.readLong(), in.readLong(), revision,
                    submitted);
        }
        if (type == 'C') {
            String year = in.readUTF();
            Level level = Level.values()[in.readByte()];
            long assessed = in.readLong();
            long completed = in.readLong();
            long conduct = in.readLong();
            return new CompletionReport(school, year, level, assessed, completed, conduct < 0 ? null : conduct, revision,
                    submitted);
        }
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

    private static void writeUnitInput(DataOutputStream out, UnitInput input) throws IOException {
        if (input instanceof Deltas d) {
            out.writeByte('D');
            writeNullable(out, d.from());
            writeNullable(out, d.fromName());
            out.writeInt(d.deltas().size());
            for (PeriodDelta delta : d.deltas()) {
                out.writeUTF(delta.period());
                out.writeByte(delta.counts().length);
                for (long c : delta.counts()) {
                    out.writeLong(c);
                }
            }
        } else if (input instanceof UnitChanged u) {
            out.writeByte('U');
            out.writeBoolean(u.ref() != null);
            if (u.ref() != null) {
                out.writeUTF(u.ref().code());
                out.writeUTF(u.ref().name());
                writeNullable(out, u.ref().parent());
            }
        } else if (input instanceof MembershipChanged m) {
            out.writeByte('M');
            out.writeUTF(m.clusterId());
            out.writeUTF(m.schoolYear());
            out.writeBoolean(m.member());
        } else if (input instanceof ClusterChanged c) {
            out.writeByte('C');
            out.writeUTF(c.schoolYear());
            byte[] json = c.cluster() == null ? new byte[0] : Json.MAPPER.writeValueAsBytes(c.cluster());
            out.writeInt(json.length);
            out.write(json);
        }
    }

    private static UnitInput readUnitInput(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case 'D' -> {
                String from = readNullable(in);
                String fromName = readNullable(in);
                int n = in.readInt();
                List<PeriodDelta> deltas = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String period = in.readUTF();
                    long[] counts = new long[in.readByte()];
                    for (int j = 0; j < counts.length; j++) {
                        counts[j] = in.readLong();
                    }
                    deltas.add(new PeriodDelta(period, counts));
                }
                return new Deltas(deltas, from, fromName);
            }
            case 'U' -> {
                return new UnitChanged(in.readBoolean() ? new UnitRef(in.readUTF(), in.readUTF(), readNullable(in)) : null);
            }
            case 'M' -> {
                return new MembershipChanged(in.readUTF(), in.readUTF(), in.readBoolean());
            }
            default -> {
                String year = in.readUTF();
                byte[] json = new byte[in.readInt()];
                in.readFully(json);
                return new ClusterChanged(year, json.length == 0 ? null : Json.MAPPER.readValue(json, Cluster.class));
            }
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}

package io.schoolstats.simulate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.reference.BundledReference;
import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.LocalUnit;
import io.schoolstats.reference.School;
import io.schoolstats.reference.Province;
import io.schoolstats.report.Json;
import io.schoolstats.report.Level;
import io.schoolstats.report.Received;
import io.schoolstats.report.ReportType;
import io.schoolstats.report.SchoolYear;
import io.schoolstats.simulate.DemoWorld.SimSchool;
import io.schoolstats.contract.Topics;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Pushes realistic reports for the demo world, the way schools would: a morning burst of
 * attendance every school day, completion at the end of May, exam results in June, a few
 * corrections (a higher revision), a few re-sends (duplicates) and a few invalid reports. It
 * starts with two past school years (a few days of attendance, completion and exams) so that
 * every panel has data, and the history of both maps shows.
 */
public final class Simulator implements AutoCloseable {
    /** School days of attendance sent for each of the two past school years. */
    static final int HISTORY_DAYS = 5;

    /** How to simulate: see {@code simulate --help}. */
    public record Options(double rate, long dayMillis, LocalDate startDate, int days, int schoolsPerDistrict,
                          boolean loadReference, long seed) {
    }

    private final Options options;
    private final DemoWorld world;
    private final KafkaProducer<String, String> producer;
    private final Throttle throttle;
    private final Random random;
    private final Consumer<String> log;
    private long sent;

    public Simulator(String bootstrapServers, Options options, Consumer<String> log) {
        this.options = options;
        this.world = DemoWorld.build(options.schoolsPerDistrict(), options.seed());
        this.throttle = new Throttle(options.rate());
        this.random = new Random(options.seed());
        this.log = log;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    public DemoWorld world() {
        return world;
    }

    public long sent() {
        return sent;
    }

    /** Runs until the configured number of school days is done (forever when 0) or interrupted. */
    public void run() throws InterruptedException {
        if (options.loadReference()) {
            loadReference();
        }
        LocalDate day = schoolDay(options.startDate());
        // History first, so that every panel has data: two school years before the first day, each
        // counted under the map of its own year (before July 2025: districts and 63 provinces).
        String previousYear = previous(SchoolYear.of(day));
        for (String year : List.of(previous(previousYear), previousYear)) {
            LocalDate first = schoolDay(LocalDate.of(Integer.parseInt(year.substring(0, 4)), Month.OCTOBER, 1));
            for (int d = 0; d < HISTORY_DAYS; d++, first = schoolDay(first.plusDays(1))) {
                for (SimSchool s : world.schools()) {
                    int present = (int) Math.round(s.enrolled() * (0.86 + random.nextDouble() * 0.13));
                    send(ReportType.ATTENDANCE.topic(), s.id(), attendance(s.id(), first, s.enrolled(), present, 1));
                }
            }
            int completions = sendCompletion(year);
            int exams = sendExams(year);
            producer.flush();
            log.accept(String.format("%s: sent %d school days of attendance, completion (%d) and exam (%d) reports",
                    year, HISTORY_DAYS, completions, exams));
        }
        int revision = 1;
        for (int n = 0; options.days() <= 0 || n < options.days(); n++) {
            long start = System.currentTimeMillis();
            LocalDate today = LocalDate.now(Received.DEFAULT_ZONE);
            if (day.isAfter(today)) {
                // Caught up with the calendar: a report dated after tomorrow would be rejected (as a
                // wrong clock), so today's reports come again, as corrections.
                day = lastSchoolDay(today);
                revision += 2;
            }
            schoolDayBurst(day, revision);
            if (n == 0) {
                // After a day's reports, well after the schemes (a score read before its scheme would wait for it).
                log.accept(String.format("evaluators' scores sent: %d (people's criteria of every scheme)", sendScores()));
            }
            if (day.getMonth() == Month.MAY && !schoolDay(day.plusDays(1)).getMonth().equals(Month.MAY)) {
                String year = SchoolYear.of(day);
                log.accept(String.format("%s: end of school year: %d completion and %d exam reports sent", year,
                        sendCompletion(year), sendExams(year)));
                day = LocalDate.of(day.getYear(), Month.SEPTEMBER, 5);
            }
            day = schoolDay(day.plusDays(1));
            producer.flush();
            long rest = options.dayMillis() - (System.currentTimeMillis() - start);
            if (rest > 0 && (options.days() <= 0 || n + 1 < options.days())) {
                Thread.sleep(rest);
            }
        }
        producer.flush();
    }

    /** Sends the reference data of both maps: provinces, districts and communes, clusters, schools. */
    public void loadReference() {
        for (Province p : world.provinces()) {
            send(Topics.PROVINCES.name(), p.key().encode(), Json.MAPPER.valueToTree(p).toString());
        }
        for (LocalUnit u : world.localUnits()) {
            ObjectNode node = Json.MAPPER.valueToTree(u);
            node.put("scope", u.scope().label());
            send(Topics.DISTRICTS.name(), u.key().encode(), node.toString());
        }
        for (Cluster c : world.clusters()) {
            ObjectNode node = Json.MAPPER.valueToTree(c);
            node.put("scope", c.scope().label());
            send(Topics.CLUSTERS.name(), c.key().encode(), node.toString());
        }
        for (School s : world.schoolRows()) {
            send(Topics.SCHOOLS.name(), s.key().encode(), Json.MAPPER.valueToTree(s).toString());
        }
        for (io.schoolstats.reference.EmulationScheme scheme : world.schemes()) {
            send(Topics.EMULATION_SCHEMES.name(), scheme.key().encode(), scheme.toJson().toString());
        }
        producer.flush();
        log.accept(String.format("reference data sent: %d province rows, %d district and commune rows (%d illustrative), "
                        + "%d cluster rows, %d scoring schemes, %d school rows for %d schools (generated); districts and "
                        + "63 provinces for %s, "
                        + "communes and 34 provinces for %s",
                world.provinces().size(), world.localUnits().size(),
                world.localUnits().stream().filter(d -> d.name().contains("minh họa")).count(),
                world.clusters().size(), world.schemes().size(), world.schoolRows().size(), world.schools().size(),
                String.join(", ", BundledReference.PRE_REFORM_YEARS), String.join(", ", BundledReference.REFORM_YEARS)));
    }

    /**
     * The evaluators' scores of every criterion people score, for every member of each scheme's
     * cluster that year: 60 to 100 % of the maximum, in halves; one in ten is corrected by a
     * second revision, sent first, so that the first one arrives stale. Returns the count sent.
     */
    private int sendScores() {
        int count = 0;
        for (io.schoolstats.reference.EmulationScheme scheme : world.schemes()) {
            Cluster cluster = world.clusters().stream().filter(c -> c.clusterId().equals(scheme.clusterId())
                    && scheme.schoolYear().equals(c.schoolYear())).findFirst().orElse(null);
            if (cluster == null) {
                continue;
            }
            for (String member : cluster.members()) {
                for (io.schoolstats.reference.EmulationScheme.Criterion c : scheme.criteria()) {
                    if (c.computed()) {
                        continue;
                    }
                    double points = Math.round(c.maxPoints() * (0.6 + random.nextDouble() * 0.4) * 2) / 2.0;
                    if (random.nextDouble() < 0.1) {
                        double corrected = Math.min(c.maxPoints(), points + 0.5 + random.nextInt(10));
                        send(Topics.EMULATION_SCORES.name(), scheme.clusterId(), score(scheme, member, c.id(), corrected, 2));
                        count++;
                    }
                    send(Topics.EMULATION_SCORES.name(), scheme.clusterId(), score(scheme, member, c.id(), points, 1));
                    count++;
                }
            }
        }
        producer.flush();
        return count;
    }

    private static String score(io.schoolstats.reference.EmulationScheme scheme, String member, String criterion,
                                double points, int revision) {
        return Json.MAPPER.createObjectNode().put("clusterId", scheme.clusterId()).put("schoolYear", scheme.schoolYear())
                .put("member", member).put("criterion", criterion).put("points", points).put("revision", revision)
                .toString();
    }

    private static LocalDate lastSchoolDay(LocalDate day) {
        LocalDate d = day;
        while (d.getDayOfWeek() == java.time.DayOfWeek.SATURDAY || d.getDayOfWeek() == java.time.DayOfWeek.SUNDAY) {
            d = d.minusDays(1);
        }
        return d;
    }

    private void schoolDayBurst(LocalDate day, int revision) {
        List<SimSchool> order = new ArrayList<>(world.schools());
        Collections.shuffle(order, random);
        int corrections = 0;
        int duplicates = 0;
        int invalid = 0;
        List<String[]> later = new ArrayList<>();
        for (SimSchool s : order) {
            int present = (int) Math.round(s.enrolled() * (0.86 + random.nextDouble() * 0.13));
            String report = attendance(s.id(), day, s.enrolled(), present, revision);
            send(ReportType.ATTENDANCE.topic(), s.id(), report);
            double dice = random.nextDouble();
            if (dice < 0.02) {
                int fixed = Math.min(s.enrolled(), present + 1 + random.nextInt(10));
                later.add(new String[] {s.id(), attendance(s.id(), day, s.enrolled(), fixed, revision + 1)});
                corrections++;
            } else if (dice < 0.03) {
                later.add(new String[] {s.id(), report});
                duplicates++;
            } else if (dice < 0.035) {
                later.add(new String[] {s.id(), invalidAttendance(s, day)});
                invalid++;
            }
        }
        for (String[] r : later) {
            send(ReportType.ATTENDANCE.topic(), r[0], r[1]);
        }
        log.accept(String.format("%s %s: %d attendance reports (%d corrections, %d re-sends, %d invalid)", day,
                day.getDayOfWeek().toString().substring(0, 3).toLowerCase(java.util.Locale.ROOT), order.size(),
                corrections, duplicates, invalid));
    }

    private int sendCompletion(String year) {
        int count = 0;
        for (SimSchool s : world.schools()) {
            int assessed = s.enrolled();
            int completed = (int) Math.round(assessed * (0.96 + random.nextDouble() * 0.04));
            ObjectNode node = Json.MAPPER.createObjectNode().put("schoolId", s.id()).put("schoolYear", year)
                    .put("level", s.level().name()).put("assessed", assessed).put("completed", completed);
            if (s.level() == Level.LOWER_SECONDARY || s.level() == Level.UPPER_SECONDARY) {
                node.put("conductGood", (int) Math.round(assessed * (0.74 + random.nextDouble() * 0.2)));
            }
            send(ReportType.COMPLETION.topic(), s.id(), node.toString());
            count++;
        }
        return count;
    }

    private int sendExams(String year) {
        int count = 0;
        for (SimSchool s : world.schools()) {
            String exam = switch (s.level()) {
                case UPPER_SECONDARY -> "THPT_GRADUATION";
                case LOWER_SECONDARY -> "GRADE10_ENTRANCE";
                default -> null;
            };
            if (exam == null) {
                continue;
            }
            int candidates = s.enrolled() / 3;
            int passed = (int) Math.round(candidates * (0.9 + random.nextDouble() * 0.1));
            ObjectNode node = Json.MAPPER.createObjectNode().put("schoolId", s.id()).put("schoolYear", year)
                    .put("exam", exam).put("candidates", candidates).put("passed", passed);
            ArrayNode bands = node.putArray("scoreBands");
            int[] split = bands(candidates);
            for (int b : split) {
                bands.add(b);
            }
            node.putObject("awards").put("first", random.nextInt(2)).put("second", random.nextInt(3))
                    .put("third", random.nextInt(4)).put("consolation", random.nextInt(5));
            send(ReportType.EXAM.topic(), s.id(), node.toString());
            count++;
        }
        return count;
    }

    /** Papers per score band, roughly bell-shaped around 6-7. */
    private int[] bands(int papers) {
        double[] weights = {0.2, 0.5, 1, 2.5, 5, 10, 15, 13, 7, 2.5};
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        int[] out = new int[10];
        int left = papers;
        for (int i = 0; i < 10; i++) {
            out[i] = i == 9 ? left : Math.min(left, (int) Math.round(papers * weights[i] / total));
            left -= out[i];
        }
        return out;
    }

    private String invalidAttendance(SimSchool s, LocalDate day) {
        return switch (random.nextInt(4)) {
            case 0 -> attendance(s.id(), day, s.enrolled(), s.enrolled() + 5, 3);
            case 1 -> "{\"schoolId\":\"" + s.id() + "\",\"date\":\"" + day + "\",\"enrolled\":";
            case 2 -> "{\"schoolId\":\"" + s.id() + "\",\"date\":\"" + day + "\",\"enrolled\":\"many\",\"present\":1}";
            default -> "{\"schoolId\":\"" + s.id() + "\",\"date\":\"" + day.getYear() + "-02-30\",\"enrolled\":10,"
                    + "\"present\":1}";
        };
    }

    private static String attendance(String school, LocalDate day, int enrolled, int present, int revision) {
        return Json.MAPPER.createObjectNode().put("schoolId", school).put("date", day.toString())
                .put("enrolled", enrolled).put("present", present).put("revision", revision)
                .put("submittedAt", submittedAt(school, day)).toString();
    }

    /**
     * When a school sends a day's attendance: most by 07:30, about one school in eight after the
     * 09:00 deadline (the same schools every day: the ones an office learns are always late).
     */
    private static String submittedAt(String school, LocalDate day) {
        boolean late = Math.floorMod(school.hashCode(), 8) == 0;
        return day.atTime(late ? 9 : 7, late ? 40 : 30).atOffset(ZoneOffset.ofHours(7)).toString();
    }

    private void send(String topic, String key, String value) {
        throttle.acquire();
        producer.send(new ProducerRecord<>(topic, key, value), (meta, e) -> {
            if (e != null) {
                log.accept("could not send to " + topic + ": " + e.getMessage());
            }
        });
        sent++;
    }

    private static LocalDate schoolDay(LocalDate day) {
        LocalDate d = day;
        while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY
                || d.getMonth() == Month.JUNE || d.getMonth() == Month.JULY || d.getMonth() == Month.AUGUST) {
            d = d.getMonth() == Month.JUNE || d.getMonth() == Month.JULY || d.getMonth() == Month.AUGUST
                    ? LocalDate.of(d.getYear(), Month.SEPTEMBER, 5) : d.plusDays(1);
        }
        return d;
    }

    private static String previous(String schoolYear) {
        int start = Integer.parseInt(schoolYear.substring(0, 4)) - 1;
        return start + "-" + (start + 1);
    }

    @Override
    public void close() {
        producer.close();
    }
}

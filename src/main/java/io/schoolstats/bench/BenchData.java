package io.schoolstats.bench;

import io.schoolstats.report.Level;
import io.schoolstats.contract.Topics;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * A national dataset, generated: 34 provinces' worth of units (20 districts each), the schools
 * spread over them, 6 clusters of provinces and 2 clusters of districts per province, N school
 * days of attendance from every school, completion and exams, about 3% corrections (a second
 * revision) and 0.5% invalid reports.
 */
final class BenchData {
    static final int PROVINCES = 34;
    static final int DISTRICTS_PER_PROVINCE = 20;
    static final String YEAR = "2024-2025";

    record School(String id, String district, Level level, int enrolled) {
    }

    private final List<School> schools = new ArrayList<>();
    private final List<LocalDate> days = new ArrayList<>();
    private final long seed;

    BenchData(int schoolCount, int dayCount, long seed) {
        this.seed = seed;
        Random random = new Random(seed);
        Level[] levels = Level.values();
        int districts = PROVINCES * DISTRICTS_PER_PROVINCE;
        for (int i = 0; i < schoolCount; i++) {
            Level level = levels[i % levels.length];
            int enrolled = 150 + random.nextInt(level == Level.PRESCHOOL ? 300 : 1500);
            schools.add(new School(String.format("B%05d", i), district(i % districts), level, enrolled));
        }
        LocalDate day = LocalDate.of(2024, 9, 9);
        while (days.size() < dayCount) {
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                days.add(day);
            }
            day = day.plusDays(1);
        }
    }

    List<School> schools() {
        return schools;
    }

    List<LocalDate> days() {
        return days;
    }

    static String province(int p) {
        return String.format("P%02d", p + 1);
    }

    static String district(int index) {
        return province(index / DISTRICTS_PER_PROVINCE) + "-D" + String.format("%02d", index % DISTRICTS_PER_PROVINCE + 1);
    }

    /** Reference rows as (topic, key, json) through the sink. */
    void reference(TopicSink sink) {
        for (int p = 0; p < PROVINCES; p++) {
            sink.send(Topics.PROVINCES.name(), province(p),
                    "{\"code\":\"" + province(p) + "\",\"name\":\"Tỉnh mô phỏng " + (p + 1) + "\"}");
            for (int d = 0; d < DISTRICTS_PER_PROVINCE; d++) {
                String code = district(p * DISTRICTS_PER_PROVINCE + d);
                sink.send(Topics.DISTRICTS.name(), code, "{\"code\":\"" + code + "\",\"name\":\"Huyện mô phỏng " + code
                        + "\",\"province\":\"" + province(p) + "\"}");
            }
            for (int half = 0; half < 2; half++) {
                StringBuilder members = new StringBuilder();
                for (int d = half * 10; d < half * 10 + 10; d++) {
                    members.append(members.length() == 0 ? "" : ",").append('"')
                            .append(district(p * DISTRICTS_PER_PROVINCE + d)).append('"');
                }
                String id = province(p) + "-C" + (half + 1);
                sink.send(Topics.CLUSTERS.name(), id + "|" + YEAR, "{\"clusterId\":\"" + id + "\",\"name\":\"Cụm " + id
                        + "\",\"schoolYear\":\"" + YEAR + "\",\"scope\":\"district\",\"members\":[" + members + "]}");
            }
        }
        for (int c = 0; c < 6; c++) {
            StringBuilder members = new StringBuilder();
            for (int p = c; p < PROVINCES; p += 6) {
                members.append(members.length() == 0 ? "" : ",").append('"').append(province(p)).append('"');
            }
            String id = "MOET-B" + (c + 1);
            sink.send(Topics.CLUSTERS.name(), id + "|" + YEAR, "{\"clusterId\":\"" + id + "\",\"name\":\"Cụm " + id
                    + "\",\"schoolYear\":\"" + YEAR + "\",\"scope\":\"province\",\"members\":[" + members + "]}");
        }
        for (School s : schools) {
            sink.send(Topics.SCHOOLS.name(), s.id(), "{\"schoolId\":\"" + s.id() + "\",\"name\":\"Trường " + s.id()
                    + "\",\"level\":\"" + s.level() + "\",\"district\":\"" + s.district() + "\"}");
        }
    }

    /** Every report of the dataset, day by day, then completion and exams. */
    void reports(TopicSink sink) {
        Random random = new Random(seed + 1);
        for (LocalDate day : days) {
            List<String[]> later = new ArrayList<>();
            for (School s : schools) {
                int present = s.enrolled() - random.nextInt(Math.max(1, s.enrolled() / 10));
                sink.send("reports.attendance", s.id(), attendance(s.id(), day, s.enrolled(), present, 1));
                double dice = random.nextDouble();
                if (dice < 0.03) {
                    later.add(new String[] {s.id(), attendance(s.id(), day, s.enrolled(), Math.max(0, present - 3), 2)});
                } else if (dice < 0.035) {
                    later.add(new String[] {s.id(), attendance(s.id(), day, s.enrolled(), s.enrolled() + 1, 3)});
                }
            }
            later.forEach(r -> sink.send("reports.attendance", r[0], r[1]));
        }
        for (School s : schools) {
            int completed = s.enrolled() - random.nextInt(1 + s.enrolled() / 50);
            sink.send("reports.completion", s.id(), "{\"schoolId\":\"" + s.id() + "\",\"schoolYear\":\"" + YEAR
                    + "\",\"level\":\"" + s.level() + "\",\"assessed\":" + s.enrolled() + ",\"completed\":" + completed
                    + ",\"conductGood\":" + (completed - random.nextInt(1 + completed / 5)) + "}");
            if (s.level() == Level.UPPER_SECONDARY || s.level() == Level.LOWER_SECONDARY) {
                int candidates = s.enrolled() / 3;
                int[] bands = new int[10];
                for (int i = 0; i < candidates; i++) {
                    bands[Math.min(9, Math.max(0, (int) Math.round(6.5 + random.nextGaussian() * 1.5)))]++;
                }
                StringBuilder b = new StringBuilder();
                for (int band : bands) {
                    b.append(b.length() == 0 ? "" : ",").append(band);
                }
                sink.send("reports.exam", s.id(), "{\"schoolId\":\"" + s.id() + "\",\"schoolYear\":\"" + YEAR
                        + "\",\"exam\":\"" + (s.level() == Level.UPPER_SECONDARY ? "THPT_GRADUATION" : "GRADE10_ENTRANCE")
                        + "\",\"candidates\":" + candidates + ",\"passed\":" + (candidates - bands[0] - bands[1] - bands[2])
                        + ",\"scoreBands\":[" + b + "],\"awards\":{\"first\":" + random.nextInt(2) + ",\"second\":"
                        + random.nextInt(3) + "}}");
            }
        }
    }

    static String attendance(String school, LocalDate day, int enrolled, int present, int revision) {
        return "{\"schoolId\":\"" + school + "\",\"date\":\"" + day + "\",\"enrolled\":" + enrolled + ",\"present\":"
                + present + ",\"revision\":" + revision + "}";
    }

    /** Receives generated records. */
    @FunctionalInterface
    interface TopicSink {
        void send(String topic, String key, String value);
    }

    /** A sink that only counts. */
    static long count(BiConsumer<BenchData, TopicSink> part, BenchData data) {
        long[] n = {0};
        part.accept(data, (t, k, v) -> n[0]++);
        return n[0];
    }
}

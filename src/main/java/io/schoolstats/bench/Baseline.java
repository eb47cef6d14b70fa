package io.schoolstats.bench;

import io.schoolstats.report.Received;
import io.schoolstats.stats.Deadlines;
import java.time.Instant;
import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.AttendanceReport;
import io.schoolstats.report.Json;
import io.schoolstats.report.Parsed;
import io.schoolstats.report.Report;
import io.schoolstats.report.ReportParser;
import io.schoolstats.report.ReportType;
import io.schoolstats.stats.Contributions;
import io.schoolstats.stats.Counts;
import io.schoolstats.stats.Kind;
import io.schoolstats.stats.Measure;
import io.schoolstats.stats.Period;
import io.schoolstats.contract.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The baseline: a plain consumer that reads the reference topics, then the report topics,
 * parses every report (with the same validator), keeps the winning revision per natural key in
 * a hash map and sums into district, province and cluster maps. No fault tolerance, no state
 * outside the heap: the fastest one could aggregate this data on this broker.
 */
final class Baseline {
    private final Map<String, String> schoolDistrict = new HashMap<>();
    private final Map<String, String> districtProvince = new HashMap<>();
    private final Map<String, List<String>> clustersOf = new HashMap<>();   // scope|code|year -> clusterIds
    /** The service's deadlines as the benchmark runs it (defaults, in the default time zone). */
    private static final Deadlines DEADLINES = Deadlines.defaults(Received.DEFAULT_ZONE);
    private final Map<String, Report> winning = new HashMap<>();
    private final Map<String, Integer> schoolYearDays = new HashMap<>();
    private final Map<String, long[]> sums = new HashMap<>();
    private long reportsRead;

    /** Reads everything on the topics now and returns the aggregates, keyed {@code scope|code|period}. */
    Map<String, long[]> run(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            readAll(consumer, List.of(Topics.PROVINCES.name(), Topics.DISTRICTS.name(), Topics.CLUSTERS.name(),
                    Topics.SCHOOLS.name()), this::reference);
            List<String> reportTopics = new ArrayList<>();
            for (ReportType type : ReportType.values()) {
                reportTopics.add(type.topic());
            }
            readAll(consumer, reportTopics, this::report);
        }
        for (Map.Entry<String, String> school : schoolDistrict.entrySet()) {
            add(school.getValue(), Period.registered(), Contributions.registration());
        }
        sums.values().removeIf(Counts::isZero);
        return sums;
    }

    long reportsRead() {
        return reportsRead;
    }

    private void readAll(KafkaConsumer<byte[], byte[]> consumer, List<String> topics,
                         java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo p : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                handler.accept(record);
            }
        }
    }

    private void reference(ConsumerRecord<byte[], byte[]> record) {
        String key = new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        JsonNode row;
        try {
            row = Json.MAPPER.readTree(record.value());
        } catch (IOException e) {
            return;
        }
        switch (record.topic()) {
            case "reference.schools" -> schoolDistrict.put(key, row.get("district").asText());
            case "reference.districts" -> districtProvince.put(key, row.get("province").asText());
            case "reference.clusters" -> {
                for (JsonNode member : row.get("members")) {
                    clustersOf.computeIfAbsent(row.get("scope").asText() + "|" + member.asText() + "|"
                            + row.get("schoolYear").asText(), k -> new ArrayList<>()).add(row.get("clusterId").asText());
                }
            }
            default -> { }
        }
    }

    private void report(ConsumerRecord<byte[], byte[]> record) {
        reportsRead++;
        ReportType type = ReportType.fromLabel(record.topic().substring("reports.".length())).orElseThrow();
        // As the engine reads it: submitted when it says, else at its Kafka timestamp.
        Parsed<Report> parsed = ReportParser.parse(type, record.value(),
                Received.at(record.timestamp() < 0 ? null : Instant.ofEpochMilli(record.timestamp()), DEADLINES.zone()));
        if (!parsed.isValid()) {
            return;
        }
        Report report = parsed.value();
        Report old = winning.get(report.naturalKey());
        // The winning revision, judged on time by the first submission of its natural key.
        Report now = old != null && report.revision() <= old.revision() ? old : report;
        if (old != null && old.submittedAt() != null
                && (report.submittedAt() == null || old.submittedAt().isBefore(report.submittedAt()))) {
            now = now.withSubmittedAt(old.submittedAt());
        } else {
            now = now.withSubmittedAt(report.submittedAt());
        }
        if (now.equals(old)) {
            return;
        }
        winning.put(report.naturalKey(), now);
        String district = schoolDistrict.get(report.schoolId());
        if (district == null) {
            return;
        }
        Map<Period, long[]> before = Contributions.of(old, DEADLINES);
        Map<Period, long[]> after = Contributions.of(now, DEADLINES);
        after.forEach((period, v) -> add(district, period, Counts.minus(v, before.get(period))));
        if (report instanceof AttendanceReport a && old == null) {
            // A school counts once a school year in reportingSchools however many days it reported.
            String key = a.schoolId() + "|" + a.schoolYear();
            if (schoolYearDays.merge(key, 1, Integer::sum) > 1) {
                add(district, Period.attendanceYear(a.schoolYear()),
                        Kind.ATTENDANCE_YEAR.vector(Map.of(Measure.REPORTING_SCHOOLS, -1L)));
            }
        }
    }

    /** Adds to a district, its province and their clusters of the period's school year. */
    private void add(String district, Period period, long[] delta) {
        addTo("district", district, period, delta);
        String province = districtProvince.get(district);
        if (province == null) {
            return;
        }
        addTo("province", province, period, delta);
        addToClusters("district", district, period, delta);
        addToClusters("province", province, period, delta);
    }

    private void addToClusters(String scope, String code, Period period, long[] delta) {
        if (period.schoolYear() == null) {
            clustersOf.forEach((key, ids) -> {
                if (key.startsWith(scope + "|" + code + "|")) {
                    String year = key.substring(key.lastIndexOf('|') + 1);
                    ids.forEach(id -> addTo("cluster", id, Period.registered(year), delta));
                }
            });
            return;
        }
        for (String id : clustersOf.getOrDefault(scope + "|" + code + "|" + period.schoolYear(), List.of())) {
            addTo("cluster", id, period, delta);
        }
    }

    private void addTo(String scope, String code, Period period, long[] delta) {
        sums.merge(scope + "|" + code + "|" + period.encode(), delta.clone(), Counts::plus);
    }
}

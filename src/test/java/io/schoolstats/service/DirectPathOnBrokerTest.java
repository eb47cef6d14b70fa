package io.schoolstats.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.contract.Topics;
import io.schoolstats.kafka.TopicSetup;
import io.schoolstats.report.Report;
import io.schoolstats.report.ReportType;
import io.schoolstats.stage.InternalCodec;
import io.schoolstats.stage.SchoolInput;
import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import io.schoolstats.testing.Reports;
import io.schoolstats.testing.RunningService;
import io.schoolstats.topology.StatsTopology;
import io.schoolstats.topology.StreamsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct path on a real broker, where partitions are real: reports written straight to
 * partitions of {@code reports.attendance}, some to the partition that owns their school, some to
 * another one (any key, no key), corrections and stale revisions crossing from one path to the
 * other. Every figure must be exact, and {@code reports-by-school} must hold exactly the reports
 * that were not in place, each in its school's partition. Run with the school stage as wide as
 * the report topic (4 and 4) and narrower (2 partitions, so that partitions 2 and 3 of the topic
 * are never in place and the school stage's sub-topology has tasks with no repartition input).
 */
@ExtendWith(KafkaBroker.class)
class DirectPathOnBrokerTest {
    private static final String T = "W" + UUID.randomUUID().toString().substring(0, 5);
    private static final String DATE = "2024-03-05";

    @Test
    void schoolStageAsWideAsTheReportTopic(Broker broker, @TempDir Path state) {
        run(broker, state, 4);
    }

    @Test
    void schoolStageNarrowerThanTheReportTopic(Broker broker, @TempDir Path state) {
        run(broker, state, 2);
    }

    /** A report written to one partition of reports.attendance under one key. */
    private record Sent(String school, int revision, int partition, String key) {
    }

    private void run(Broker broker, Path state, int partitions) {
        int topicPartitions = reportTopicPartitions(broker);
        Assumptions.assumeTrue(topicPartitions >= 2, "needs a report topic with two partitions or more");
        String prefix = T + "-" + partitions;
        String district = prefix + "-D";
        List<String> schools = new ArrayList<>();
        for (int i = 0; schools.size() < 5; i++) {
            String school = prefix + "-S" + i;
            if (owner(school, partitions) < topicPartitions) { // a partition the topic has: it can be in place
                schools.add(school);
            }
        }
        String s0 = schools.get(0);
        String s1 = schools.get(1);
        String s2 = schools.get(2);
        String s3 = schools.get(3);
        String s4 = schools.get(4);
        // Elsewhere: the next partition, or for s3 the topic's last one (beyond the school stage's
        // partitions when the topic is wider).
        int last = topicPartitions - 1;
        List<Sent> sent = List.of(
                new Sent(s0, 1, elsewhere(s0, partitions, topicPartitions), s0),   // first off the path, ...
                new Sent(s0, 2, owner(s0, partitions), s0),                           // ... corrected in place
                new Sent(s1, 1, owner(s1, partitions), s1),                           // in place, ...
                new Sent(s1, 2, elsewhere(s1, partitions, topicPartitions), "x"),    // ... corrected off the path
                new Sent(s2, 2, owner(s2, partitions), null),                         // in place, no key
                new Sent(s2, 1, elsewhere(s2, partitions, topicPartitions), null),   // stale, off the path
                new Sent(s3, 1, last != owner(s3, partitions) ? last : elsewhere(s3, partitions, topicPartitions), null),
                new Sent(s3, 1, owner(s3, partitions), s0),                           // the same again, in place
                new Sent(s4, 1, owner(s4, partitions), "x"));                         // in place under another key
        // present of each school's winning revision: s0 20, s1 40, s2 50, s3 60, s4 70
        Map<String, int[]> present = Map.of(s0, new int[] {0, 10, 20}, s1, new int[] {0, 30, 40},
                s2, new int[] {0, 5, 50}, s3, new int[] {0, 60}, s4, new int[] {0, 70});

        String app = "direct-" + prefix;
        // Nothing purged from the repartition topic while the test reads it.
        try (RunningService service = new RunningService(broker.bootstrapServers(), app, state, partitions,
                Map.of("repartition.purge.interval.ms", "3600000"));
             Reports reference = new Reports(broker.bootstrapServers());
             KafkaProducer<String, String> producer = producer(broker);
             KafkaConsumer<String, byte[]> repartition = consumer(broker)) {
            reference.province(prefix + "-P", "Tỉnh").district(district, "Huyện", prefix + "-P");
            schools.forEach(s -> reference.school(s, district));
            reference.flush();
            for (Sent s : sent) {
                producer.send(new ProducerRecord<>(Topics.reports(ReportType.ATTENDANCE).name(), s.partition(), s.key(),
                        String.format("{\"schoolId\":\"%s\",\"date\":\"%s\",\"enrolled\":100,\"present\":%d,"
                                + "\"revision\":%d}", s.school(), DATE, present.get(s.school())[s.revision()], s.revision())));
            }
            producer.flush();

            List<String> expected = sent.stream().filter(s -> s.partition() != owner(s.school(), partitions))
                    .map(s -> s.school() + "/" + s.revision() + " in " + owner(s.school(), partitions)).toList();
            assertThat(expected).hasSize(4); // s0 1, s1 2, s2 1, s3 1
            List<String> repartitioned = new ArrayList<>();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonNode day = service.json("/api/v1/stats/district/" + district + "?date=" + DATE);
                assertThat(day.at("/attendance/present").asLong()).as(day.toString()).isEqualTo(20 + 40 + 50 + 60 + 70);
                assertThat(day.at("/attendance/enrolled").asLong()).isEqualTo(500);
                assertThat(day.at("/attendance/reportingSchools").asLong()).isEqualTo(5);
                read(repartition, app, prefix, repartitioned);
                assertThat(repartitioned).containsExactlyInAnyOrderElementsOf(expected);
            });
            // The report topics are sources of the school stage's sub-topology: one task per partition
            // of the widest source, those beyond the school stage's partitions reading reports only.
            assertThat(service.service().streams().metadataForLocalThreads().stream()
                    .flatMap(thread -> thread.activeTasks().stream())
                    .filter(task -> task.taskId().subtopology() == schoolSubtopology()))
                    .hasSize(Math.max(partitions, topicPartitions));
        }
    }

    private static int schoolSubtopology() {
        return StatsTopology.build(StreamsSettings.defaults("any", "unused:9092"), StatsTopology.Options.defaults())
                .describe().subtopologies().stream()
                .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals("school-stage")))
                .findFirst().orElseThrow().id();
    }

    /** The partition that owns a school: Kafka's default for a String key, computed here, not taken from the engine. */
    private static int owner(String school, int partitions) {
        return Utils.toPositive(Utils.murmur2(school.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static int elsewhere(String school, int partitions, int topicPartitions) {
        return (owner(school, partitions) + 1) % topicPartitions;
    }

    /** The report topics as serve creates them, 4 partitions, unless they exist (a shared cluster): their count. */
    private static int reportTopicPartitions(Broker broker) {
        try (Admin admin = broker.admin()) {
            TopicSetup.ensure(admin, 4, Optional.empty());
            String topic = Topics.reports(ReportType.ATTENDANCE).name();
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KafkaProducer<String, String> producer(Broker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(Broker broker) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Adds what {@code reports-by-school} got since the last call, of this run's schools, as
     * "school/revision in partition"; assigns the topic once Kafka Streams has created it.
     */
    private static void read(KafkaConsumer<String, byte[]> consumer, String app, String prefix, List<String> into) {
        String topic = app + "-reports-by-school-repartition";
        if (consumer.assignment().isEmpty()) {
            List<TopicPartition> all = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (all.isEmpty()) {
                return;
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            Report report = ((SchoolInput.ReportArrived) InternalCodec.schoolInput().deserializer()
                    .deserialize(topic, r.value())).report();
            assertThat(r.key()).isEqualTo(report.schoolId());
            if (report.schoolId().startsWith(prefix + "-")) {
                into.add(report.schoolId() + "/" + report.revision() + " in " + r.partition());
            }
        }
    }
}

package io.schoolstats.testing;

import io.schoolstats.contract.Topics;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends the contract's JSON to the contract's topics, as a school's system or an operator would. */
public final class Reports implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private volatile Exception failure;

    public Reports(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Sends asynchronously; records of one key keep their order (one partition, idempotent producer). */
    public Reports send(String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value), (meta, e) -> {
            if (e != null) {
                failure = e;
            }
        });
        return this;
    }

    /** Waits until the broker has acknowledged everything sent so far. */
    public Reports flush() {
        producer.flush();
        if (failure != null) {
            throw new IllegalStateException("a record was not acknowledged", failure);
        }
        return this;
    }

    public Reports attendance(String school, String date, int enrolled, int present, int revision) {
        return send("reports.attendance", school, String.format(
                "{\"schoolId\":\"%s\",\"date\":\"%s\",\"enrolled\":%d,\"present\":%d,\"revision\":%d}",
                school, date, enrolled, present, revision));
    }

    public Reports province(String code, String name) {
        return send(Topics.PROVINCES.name(), code, String.format("{\"code\":\"%s\",\"name\":\"%s\"}", code, name));
    }

    public Reports district(String code, String name, String province) {
        return send(Topics.DISTRICTS.name(), code,
                String.format("{\"code\":\"%s\",\"name\":\"%s\",\"province\":\"%s\"}", code, name, province));
    }

    public Reports school(String id, String district) {
        return send(Topics.SCHOOLS.name(), id, String.format(
                "{\"schoolId\":\"%s\",\"name\":\"Trường %s\",\"level\":\"PRIMARY\",\"district\":\"%s\"}", id, id, district));
    }

    public Reports cluster(String id, String name, String year, String scope, String head, String... members) {
        return send(Topics.CLUSTERS.name(), id + "|" + year, String.format(
                "{\"clusterId\":\"%s\",\"name\":\"%s\",\"schoolYear\":\"%s\",\"scope\":\"%s\",\"members\":[\"%s\"],"
                        + "\"head\":\"%s\"}", id, name, year, scope, String.join("\",\"", members), head));
    }

    @Override
    public void close() {
        flush();
        producer.close();
    }
}

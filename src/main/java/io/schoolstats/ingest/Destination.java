package io.schoolstats.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.schoolstats.ingest.Checked.Accepted;
import io.schoolstats.report.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** Where {@code push} and {@code reference load} send validated items: the HTTP API or Kafka. */
public interface Destination extends AutoCloseable {
    /** Sends one batch; throws with the reason when it was not taken (nothing of it was, over HTTP). */
    void send(List<Accepted> batch) throws IOException;

    @Override
    void close();

    /** The HTTP API: one request per batch, retried a few times while the server answers 503. */
    static Destination http(String baseUrl, String path, String method, String token) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create(baseUrl.replaceAll("/+$", "") + path);
        return new Destination() {
            @Override
            public void send(List<Accepted> batch) throws IOException {
                ArrayNode array = Json.MAPPER.createArrayNode();
                for (Accepted a : batch) {
                    array.add(Json.MAPPER.readTree(a.json()));
                }
                byte[] body = Json.MAPPER.writeValueAsBytes(array);
                for (int attempt = 1; ; attempt++) {
                    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    HttpResponse<String> response;
                    try {
                        response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                    if (response.statusCode() == 202) {
                        return;
                    }
                    if (response.statusCode() == 503 && attempt < 4) {
                        try {
                            Thread.sleep(1000L * attempt);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException("interrupted", e);
                        }
                        continue;
                    }
                    throw new IOException(uri + " answered " + response.statusCode() + ": " + reason(response.body()));
                }
            }

            @Override
            public void close() {
            }
        };
    }

    /** Kafka directly: an idempotent producer, every record acknowledged before the next batch. */
    static Destination kafka(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        return new Destination() {
            @Override
            public void send(List<Accepted> batch) throws IOException {
                try {
                    List<Future<RecordMetadata>> sent = new java.util.ArrayList<>();
                    for (Accepted a : batch) {
                        sent.add(producer.send(new ProducerRecord<>(a.topic(), a.key(), a.json())));
                    }
                    producer.flush();
                    for (Future<RecordMetadata> f : sent) {
                        f.get();
                    }
                } catch (ExecutionException e) {
                    throw new IOException("Kafka did not take the batch: " + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                } catch (org.apache.kafka.common.KafkaException e) {
                    throw new IOException("Kafka did not take the batch: " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                producer.close(Duration.ofSeconds(10));
            }
        };
    }

    private static String reason(String body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node.hasNonNull("error")) {
                return node.get("error").asText();
            }
            if (node.has("errors")) {
                return node.get("errors").toString();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: show it as it is
        }
        return body;
    }
}

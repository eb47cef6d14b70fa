package io.schoolstats.topology;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.ingest.Audit;
import io.schoolstats.report.Json;
import io.schoolstats.report.Utf8;
import io.schoolstats.report.Violation;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;

/**
 * The envelope of a record on {@code reports.rejected}: why it was rejected, where it came from
 * (topic, partition, offset: the record itself stays on its topic), and its bytes, bounded: the
 * first {@value #VALUE_PREFIX_BYTES} bytes of the value (as text when they are UTF-8, else base64,
 * never both), their full length and SHA-256. A 900 KB garbage record thus gives an envelope of a
 * few KB, never one larger than what a producer may send.
 */
public final class Rejections {
    /** The bytes of a rejected value the envelope quotes. */
    public static final int VALUE_PREFIX_BYTES = 16 * 1024;
    /** The bytes of a rejected key the envelope quotes. */
    public static final int KEY_PREFIX_BYTES = 1024;
    /** The violations an envelope lists (a record breaks few rules; a hostile one is not listed at length). */
    static final int MAX_ERRORS = 20;

    private Rejections() {
    }

    /** @param headers the record's headers: its audit headers ({@link Audit}) are kept as {@code "submittedBy"} */
    public static byte[] envelope(String topic, int partition, long offset, long timestamp,
                                  byte[] key, byte[] value, List<Violation> violations, Headers headers) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        Violation first = violations.get(0);
        root.put("reason", first.reason().code());
        root.put("field", first.field());
        root.put("message", first.message());
        ArrayNode errors = root.putArray("errors");
        for (Violation v : violations.subList(0, Math.min(MAX_ERRORS, violations.size()))) {
            errors.addObject().put("field", v.field()).put("reason", v.reason().code()).put("message", v.message());
        }
        root.put("sourceTopic", topic);
        root.put("partition", partition);
        root.put("offset", offset);
        root.put("timestamp", timestamp >= 0 ? Instant.ofEpochMilli(timestamp).toString() : null);
        Map<String, String> audit = Audit.of(headers);
        if (!audit.isEmpty()) {
            ObjectNode by = root.putObject("submittedBy");
            audit.forEach(by::put);
        }
        bytes(root, "key", key, KEY_PREFIX_BYTES);
        bytes(root, "value", value, VALUE_PREFIX_BYTES);
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a rejection envelope", e);
        }
    }

    /**
     * {@code name} (the prefix as text) or {@code nameBase64} (when the prefix is not UTF-8), then
     * {@code nameBytes}, {@code nameSha256} and {@code nameTruncated}; all null for absent bytes.
     */
    private static void bytes(ObjectNode root, String name, byte[] bytes, int limit) {
        if (bytes == null) {
            root.putNull(name);
            return;
        }
        byte[] prefix = Utf8.prefix(bytes, limit);
        String text = Utf8.text(prefix);
        if (text != null) {
            root.put(name, text);
        } else {
            root.put(name + "Base64", Base64.getEncoder().encodeToString(prefix));
        }
        root.put(name + "Bytes", bytes.length);
        root.put(name + "Sha256", sha256(bytes));
        root.put(name + "Truncated", prefix.length < bytes.length);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}

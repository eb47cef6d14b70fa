package io.schoolstats.topology;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.report.Json;
import io.schoolstats.report.Violation;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The envelope of a record on {@code reports.rejected}: why it was rejected, where it came from,
 * and its original bytes (base64, plus the text when the bytes are valid UTF-8).
 */
public final class Rejections {
    private Rejections() {
    }

    public static byte[] envelope(String topic, int partition, long offset, long timestamp,
                                  byte[] key, byte[] value, List<Violation> violations) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        Violation first = violations.get(0);
        root.put("reason", first.reason().code());
        root.put("field", first.field());
        root.put("message", first.message());
        ArrayNode errors = root.putArray("errors");
        for (Violation v : violations) {
            errors.addObject().put("field", v.field()).put("reason", v.reason().code()).put("message", v.message());
        }
        root.put("sourceTopic", topic);
        root.put("partition", partition);
        root.put("offset", offset);
        root.put("timestamp", timestamp >= 0 ? Instant.ofEpochMilli(timestamp).toString() : null);
        root.put("key", text(key));
        root.put("keyBase64", key == null ? null : Base64.getEncoder().encodeToString(key));
        root.put("value", text(value));
        root.put("valueBase64", value == null ? null : Base64.getEncoder().encodeToString(value));
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a rejection envelope", e);
        }
    }

    /** The bytes as text when they are valid UTF-8, else null (the base64 field still has them). */
    private static String text(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

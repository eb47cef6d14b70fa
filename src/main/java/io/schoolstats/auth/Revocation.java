package io.schoolstats.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.report.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * One revoked token: a record of the compacted topic {@code tokens.revoked}, keyed by the token
 * id, value {@code {"version":1,"tokenId":…,"revokedAt":…,"expiresAt":…,"reason":…}}
 * ({@code expiresAt} and {@code reason} optional). With {@code expiresAt} the servers forget the
 * revocation once the token has expired anyway; without it, they keep it for good.
 */
public record Revocation(String tokenId, Instant revokedAt, Instant expiresAt, String reason) {
    static final int VERSION = 1;
    public static final int MAX_REASON_LENGTH = 200;
    private static final Pattern TOKEN_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    public Revocation {
        String problem = tokenIdProblem(tokenId);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (revokedAt == null) {
            throw new IllegalArgumentException("a revocation says when it was made ('revokedAt')");
        }
        if (reason != null && (reason.length() > MAX_REASON_LENGTH || reason.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("a reason is one line of at most " + MAX_REASON_LENGTH + " characters");
        }
    }

    /** What is wrong with a token id (a {@code jti} as {@code token issue} prints it), or null. */
    public static String tokenIdProblem(String tokenId) {
        if (tokenId == null || !TOKEN_ID.matcher(tokenId).matches()) {
            return "a token id is 1 to 100 letters, digits, '.', '_' or '-' (as 'token issue' prints it, e.g. "
                    + "3f2b8a4e-0c1d-4e5f-9a6b-7c8d9e0f1a2b)";
        }
        return null;
    }

    /** An instant written as ISO-8601 ({@code 2027-03-05T10:00:00Z}); null for null. */
    public static Instant instant(String text, String name) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an instant such as 2027-03-05T10:00:00Z");
        }
    }

    public String toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode().put("version", VERSION).put("tokenId", tokenId)
                .put("revokedAt", revokedAt.toString());
        if (expiresAt != null) {
            node.put("expiresAt", expiresAt.toString());
        }
        if (reason != null) {
            node.put("reason", reason);
        }
        return node.toString();
    }

    /** Reads a record of the topic; refuses an unknown version or a value that names another token. */
    public static Revocation fromJson(String key, byte[] value) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(new String(value, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (node == null || !node.isObject() || node.path("version").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("not a revocation of version " + VERSION);
        }
        if (!node.path("tokenId").asText("").equals(key)) {
            throw new IllegalArgumentException("the value names another token than its key");
        }
        return new Revocation(key, instant(node.path("revokedAt").asText(null), "revokedAt"),
                instant(node.path("expiresAt").asText(null), "expiresAt"), node.path("reason").asText(null));
    }
}

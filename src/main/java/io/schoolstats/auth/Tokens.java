package io.schoolstats.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.report.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed access tokens: {@code sst1.<payload>.<signature>}, the payload base64url JSON
 * ({@code {"school":"HN-001-TH-01","iat":…,"exp":…}} or {@code {"operator":true,…}}), the signature
 * an HMAC-SHA256 of {@code sst1.<payload>} with the server's secret, compared in constant time.
 * A token carries its school: a school's token may only submit that school's reports.
 */
public final class Tokens {
    private static final String PREFIX = "sst1.";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    public static final int MIN_SECRET_LENGTH = 16;

    /** Who a token speaks for: a school (its id) or an operator (school null), until expiresAt (null: no expiry). */
    public record Claims(String school, Instant issuedAt, Instant expiresAt) {
        public boolean operator() {
            return school == null;
        }
    }

    /** Why a token was refused. */
    public static final class InvalidToken extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean expired;

        InvalidToken(String message, boolean expired) {
            super(message);
            this.expired = expired;
        }

        public boolean expired() {
            return expired;
        }
    }

    private final SecretKeySpec key;

    public Tokens(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the token secret must be at least " + MIN_SECRET_LENGTH
                    + " characters long (use a long random string, for example: openssl rand -base64 32)");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String issue(Claims claims) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        if (claims.operator()) {
            payload.put("operator", true);
        } else {
            payload.put("school", claims.school());
        }
        payload.put("iat", claims.issuedAt().getEpochSecond());
        if (claims.expiresAt() != null) {
            payload.put("exp", claims.expiresAt().getEpochSecond());
        }
        String signed = PREFIX + B64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        return signed + "." + B64.encodeToString(sign(signed));
    }

    public Claims verify(String token, Instant now) throws InvalidToken {
        if (token == null || !token.startsWith(PREFIX)) {
            throw new InvalidToken("not a schoolstats token", false);
        }
        int dot = token.lastIndexOf('.');
        if (dot <= PREFIX.length()) {
            throw new InvalidToken("malformed token", false);
        }
        String signed = token.substring(0, dot);
        byte[] signature;
        try {
            signature = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("malformed token", false);
        }
        if (!MessageDigest.isEqual(sign(signed), signature)) {
            throw new InvalidToken("the token's signature does not match", false);
        }
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(B64D.decode(signed.substring(PREFIX.length())));
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidToken("malformed token", false);
        }
        Instant expires = payload.hasNonNull("exp") ? Instant.ofEpochSecond(payload.get("exp").asLong()) : null;
        if (expires != null && !now.isBefore(expires)) {
            throw new InvalidToken("the token expired at " + expires, true);
        }
        Instant issued = Instant.ofEpochSecond(payload.path("iat").asLong());
        if (payload.path("operator").asBoolean(false)) {
            return new Claims(null, issued, expires);
        }
        String school = payload.path("school").asText(null);
        if (school == null || school.isEmpty()) {
            throw new InvalidToken("malformed token", false);
        }
        return new Claims(school, issued, expires);
    }

    private byte[] sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}

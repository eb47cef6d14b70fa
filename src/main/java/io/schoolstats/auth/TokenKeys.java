package io.schoolstats.auth;

import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The HMAC keys tokens are signed and checked with, each named by a key id (the token's
 * {@code kid} header). The first key signs; every key verifies. That is what makes rotation
 * possible without reissuing every token at once: a new key is added as a verifier, then made
 * the signing key, and the old one is dropped once the tokens it signed have expired.
 * <p>
 * Written {@code KEY_ID:SECRET,KEY_ID:SECRET} ({@code SCHOOLSTATS_TOKEN_KEYS} or {@code token.keys});
 * a single secret ({@code SCHOOLSTATS_TOKEN_SECRET}) is the key {@value #DEFAULT_KEY_ID}. A secret
 * is at least {@value #MIN_SECRET_BYTES} bytes (UTF-8): HS256 keys shorter than its 256-bit hash
 * are guessable offline from any one token. No message ever repeats a secret.
 */
public final class TokenKeys {
    /** HS256 is only as strong as its key: RFC 7518 §3.2 asks for at least the hash size, 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;
    /** The id of the key given as a single secret. */
    public static final String DEFAULT_KEY_ID = "default";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String HOW = "make one with: openssl rand -base64 32";

    private final String signingKeyId;
    private final Map<String, Algorithm> keys;
    private final List<String> ids;

    private TokenKeys(Map<String, Algorithm> keys) {
        this.keys = Map.copyOf(keys);
        this.signingKeyId = keys.keySet().iterator().next();
        this.ids = List.copyOf(keys.keySet());
    }

    /** One secret, the key {@value #DEFAULT_KEY_ID}. */
    public static TokenKeys single(String secret, String source) {
        Map<String, Algorithm> keys = new LinkedHashMap<>();
        keys.put(DEFAULT_KEY_ID, algorithm(DEFAULT_KEY_ID, secret, source));
        return new TokenKeys(keys);
    }

    /**
     * Keys written {@code KEY_ID:SECRET,KEY_ID:SECRET}, the first one signing.
     *
     * @param source where the text came from, named in error messages (never the text itself)
     */
    public static TokenKeys parse(String text, String source) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(source + " is empty: write KEY_ID:SECRET[,KEY_ID:SECRET...] (the first "
                    + "key signs, every key verifies); " + HOW);
        }
        Map<String, Algorithm> keys = new LinkedHashMap<>();
        String[] entries = text.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("entry " + (i + 1) + " of " + source + " is not KEY_ID:SECRET "
                        + "(write for example k2:<secret>,k1:<secret>; the first key signs)");
            }
            String id = entry.substring(0, colon).trim();
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("entry " + (i + 1) + " of " + source + ": a key id is 1 to 64 "
                        + "letters, digits, '.', '_' or '-'" + (id.isEmpty() ? " (it is empty)" : ", not '" + id + "'"));
            }
            if (keys.containsKey(id)) {
                throw new IllegalArgumentException(source + " names the key '" + id + "' twice");
            }
            keys.put(id, algorithm(id, entry.substring(colon + 1).trim(), source));
        }
        return new TokenKeys(keys);
    }

    private static Algorithm algorithm(String id, String secret, String source) {
        byte[] bytes = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the secret of token key '" + id + "' (" + source + ") is " + bytes.length
                    + " bytes long: a token secret must be at least " + MIN_SECRET_BYTES + " bytes; " + HOW);
        }
        return Algorithm.HMAC256(bytes);
    }

    /** The key new tokens are signed with: the first one. */
    public String signingKeyId() {
        return signingKeyId;
    }

    /** Every key id, the signing one first. */
    public List<String> ids() {
        return ids;
    }

    Algorithm signer() {
        return keys.get(signingKeyId);
    }

    Optional<Algorithm> verifier(String keyId) {
        return Optional.ofNullable(keyId == null ? null : keys.get(keyId));
    }

    /** The ids only: a key set is logged or shown without its secrets. */
    @Override
    public String toString() {
        return "TokenKeys" + ids + " (" + signingKeyId + " signs)";
    }
}

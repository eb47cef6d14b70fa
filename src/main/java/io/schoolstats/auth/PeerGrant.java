package io.schoolstats.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * What one instance asks another for on a caller's behalf, signed with the token keys every
 * instance shares: a short-lived JWT whose claim is the SHA-256 of the request body. The
 * instance that checked the caller's access and worked out the request signs it; the other
 * answers only a request signed so. A caller with a valid token of its own cannot write such a
 * request itself (a unit's office naming another unit's schools, for example).
 */
public final class PeerGrant {
    /** Long enough for a request between instances, short enough that a copy is soon worthless. */
    static final Duration VALIDITY = Duration.ofSeconds(60);
    private static final String BODY_CLAIM = "bodySha256";

    private final TokenKeys keys;
    private final Clock clock;

    public PeerGrant(TokenKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** A grant for exactly this body. */
    public String sign(byte[] body) {
        return JWT.create().withKeyId(keys.signingKeyId()).withClaim(BODY_CLAIM, sha256(body))
                .withIssuedAt(clock.instant()).withExpiresAt(clock.instant().plus(VALIDITY)).sign(keys.signer());
    }

    /** True when {@code grant} was signed by an instance, is not expired, and is for exactly this body. */
    public boolean allows(String grant, byte[] body) {
        if (grant == null || grant.isBlank()) {
            return false;
        }
        try {
            DecodedJWT decoded = JWT.decode(grant);
            Optional<Algorithm> algorithm = keys.verifier(decoded.getKeyId());
            if (algorithm.isEmpty()) {
                return false;
            }
            ((com.auth0.jwt.JWTVerifier.BaseVerification) JWT.require(algorithm.get())
                    .withClaim(BODY_CLAIM, sha256(body))).build(clock).verify(decoded);
            return true;
        } catch (JWTVerificationException e) {
            return false;
        }
    }

    private static String sha256(byte[] body) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

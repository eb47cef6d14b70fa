package io.schoolstats.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.schoolstats.reference.Scope;
import io.schoolstats.reference.UnitId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens: JSON Web Tokens (RFC 7519) signed with HMAC-SHA256, made and checked by
 * auth0's java-jwt. The header names the key ({@code kid}, see {@link TokenKeys}); the claims are
 * {@code sub} (the school's id, the unit as {@code SCOPE:CODE}, or {@code operator}), {@code role}
 * ({@code school}, {@code unit}, {@code evaluator} or {@code operator}), {@code iat}, {@code exp} (always: a token
 * without one is refused) and {@code jti}, a random id by which one token can be revoked
 * ({@link Revocations}); a unit's token also says its unit in the claim {@code unit}.
 * A school's token may submit only its own school's reports. A unit's token submits nothing: it
 * reads the per-school detail of its own unit ({@link ReadAccess}). A cluster evaluator's token
 * ({@code sub} {@code cluster:ID}) submits emulation scores of that cluster only.
 */
public final class Tokens {
    /** Days a school's token is valid unless asked otherwise: a school year and its summer. */
    public static final int SCHOOL_DAYS = 365;
    /** Days an evaluator's token is valid unless asked otherwise: a school year, like a school's. */
    public static final int EVALUATOR_DAYS = 365;
    /** Days an operator's token is valid unless asked otherwise: it can do much more. */
    public static final int OPERATOR_DAYS = 30;
    /** Days a unit office's token is valid unless asked otherwise: a school year, like a school's. */
    public static final int UNIT_DAYS = 365;
    public static final Duration SCHOOL_VALIDITY = Duration.ofDays(SCHOOL_DAYS);
    public static final Duration OPERATOR_VALIDITY = Duration.ofDays(OPERATOR_DAYS);
    public static final Duration UNIT_VALIDITY = Duration.ofDays(UNIT_DAYS);
    /** Clocks of the machine that issued a token and of the server may differ this much. */
    static final long ISSUED_AT_LEEWAY_SECONDS = 300;
    static final String ROLE = "role";
    static final String UNIT = "unit";
    private static final String OPERATOR_SUBJECT = "operator";

    /** What a token may do. The label is what the token and audit records carry. */
    public enum Role {
        SCHOOL("school"), UNIT("unit"), OPERATOR("operator"),
        /** A cluster's evaluator: submits scores of that cluster's members (issue 14), nothing else. */
        EVALUATOR("evaluator");

        private final String label;

        Role(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Optional<Role> fromLabel(String label) {
            for (Role role : values()) {
                if (role.label.equals(label)) {
                    return Optional.of(role);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Who a verified token speaks for: a school (its id), a unit's office (its unit) or an operator
     * (school and unit null), and which token it is. {@code tokenId} and {@code role} may be logged
     * or audited; the token never.
     */
    public record Claims(String tokenId, Role role, String school, String keyId, Instant issuedAt, Instant expiresAt,
                         UnitId unit) {
        public boolean operator() {
            return role == Role.OPERATOR;
        }
    }

    /** A new token and what it says. */
    public record Issued(String token, Claims claims) {
    }

    /** Why a token was refused. */
    public enum Reason {
        MALFORMED, OLD_FORMAT, UNKNOWN_KEY, BAD_SIGNATURE, EXPIRED, NO_EXPIRY, REVOKED
    }

    /** A token refused, with a message that says why and what to do. */
    public static final class InvalidToken extends Exception {
        private static final long serialVersionUID = 1L;
        private final Reason reason;

        InvalidToken(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    private final TokenKeys keys;
    private final Revocations revocations;
    private final Clock clock;
    private final Map<String, JWTVerifier> verifiers = new ConcurrentHashMap<>();

    /** Tokens that cannot be revoked (for issuing; a server passes its {@link Revocations}). */
    public Tokens(TokenKeys keys) {
        this(keys, Revocations.NONE, Clock.systemUTC());
    }

    public Tokens(TokenKeys keys, Revocations revocations, Clock clock) {
        this.keys = keys;
        this.revocations = revocations;
        this.clock = clock;
    }

    public TokenKeys keys() {
        return keys;
    }

    public Issued issueForSchool(String school, Duration validity) {
        if (school == null || school.isBlank()) {
            throw new IllegalArgumentException("a school token needs the school's id");
        }
        // The id as reports carry it once read: in NFC (typed on a Mac, it may come decomposed).
        String id = io.schoolstats.report.Fields.normalize(school);
        if (!io.schoolstats.report.Fields.isId(id)) {
            throw new IllegalArgumentException("'" + io.schoolstats.report.Quote.of(school) + "' is not a school id: "
                    + "1 to 64 characters without '|', control, format or bidirectional characters");
        }
        return issue(Role.SCHOOL, id, null, validity);
    }

    /**
     * A token for the office of one unit, which reads the per-school detail of that unit only.
     *
     * @param code the unit's code as in the reference data; held in NFC
     * @throws IllegalArgumentException when the code is not an id
     */
    public Issued issueForUnit(Scope scope, String code, Duration validity) {
        if (scope == null) {
            throw new IllegalArgumentException("a unit token needs the unit's scope: district, commune, province or cluster");
        }
        return issue(Role.UNIT, null, new UnitId(scope, code), validity);
    }

    /**
     * A token for the evaluators of one emulation cluster: it submits scores of that cluster's
     * members, and nothing else.
     */
    public Issued issueForEvaluator(String clusterId, Duration validity) {
        return issue(Role.EVALUATOR, null, new UnitId(Scope.CLUSTER, clusterId), validity);
    }

    public Issued issueForOperator(Duration validity) {
        return issue(Role.OPERATOR, null, null, validity);
    }

    private Issued issue(Role role, String school, UnitId unit, Duration validity) {
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("a token must be valid for some time, not " + validity);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Claims claims = new Claims(UUID.randomUUID().toString(), role, school, keys.signingKeyId(), now,
                now.plus(validity), unit);
        var builder = JWT.create()
                .withKeyId(claims.keyId())
                .withSubject(switch (role) {
                    case SCHOOL -> school;
                    case UNIT, EVALUATOR -> unit.toString();
                    case OPERATOR -> OPERATOR_SUBJECT;
                })
                .withClaim(ROLE, role.label())
                .withIssuedAt(claims.issuedAt())
                .withExpiresAt(claims.expiresAt())
                .withJWTId(claims.tokenId());
        if (unit != null) {
            builder.withClaim(UNIT, unit.toString());
        }
        return new Issued(builder.sign(keys.signer()), claims);
    }

    /** The claims of a valid token: signed by a known key, not expired, not revoked. */
    public Claims verify(String token) throws InvalidToken {
        if (token == null || token.isBlank()) {
            throw new InvalidToken(Reason.MALFORMED, "the token is empty");
        }
        if (token.startsWith("sst1.")) {
            throw new InvalidToken(Reason.OLD_FORMAT, "tokens of the old format (sst1.…) are no longer accepted: "
                    + "ask the operator for a new token");
        }
        DecodedJWT decoded;
        try {
            decoded = JWT.decode(token);
        } catch (JWTDecodeException e) {
            throw new InvalidToken(Reason.MALFORMED, "the token is not a well-formed JWT");
        }
        String keyId = decoded.getKeyId();
        if (keyId == null) {
            throw new InvalidToken(Reason.UNKNOWN_KEY, "the token names no signing key ('kid'): ask the operator for "
                    + "a new token");
        }
        JWTVerifier verifier = verifier(keyId).orElseThrow(() -> new InvalidToken(Reason.UNKNOWN_KEY,
                "the token was signed with the key '" + printable(keyId) + "', which this server does not know "
                        + "(retired, or never configured here): ask the operator for a new token"));
        try {
            verifier.verify(decoded);
        } catch (AlgorithmMismatchException e) {
            throw new InvalidToken(Reason.BAD_SIGNATURE, "the token is not signed with HS256");
        } catch (SignatureVerificationException e) {
            throw new InvalidToken(Reason.BAD_SIGNATURE, "the token's signature does not match: it was altered, or "
                    + "signed with another secret");
        } catch (TokenExpiredException e) {
            throw new InvalidToken(Reason.EXPIRED, "the token expired at " + e.getExpiredOn()
                    + ": ask the operator for a new token");
        } catch (MissingClaimException e) {
            if ("exp".equals(e.getClaimName())) {
                throw new InvalidToken(Reason.NO_EXPIRY, "the token has no expiry ('exp'): tokens that never expire "
                        + "are refused; ask the operator for a new token");
            }
            throw new InvalidToken(Reason.MALFORMED, "the token lacks the claim '" + e.getClaimName() + "'");
        } catch (JWTVerificationException e) {
            throw new InvalidToken(Reason.MALFORMED, "the token is not valid: " + e.getMessage());
        }
        Role role = Role.fromLabel(decoded.getClaim(ROLE).asString()).orElseThrow(() ->
                new InvalidToken(Reason.MALFORMED, "the token's role is none of 'school', 'unit', 'evaluator' or "
                        + "'operator'"));
        String subject = decoded.getSubject();
        if (role == Role.SCHOOL && (subject == null || subject.isBlank())) {
            throw new InvalidToken(Reason.MALFORMED, "the school token names no school ('sub')");
        }
        UnitId unit = role == Role.UNIT || role == Role.EVALUATOR ? unit(subject, decoded.getClaim(UNIT).asString()) : null;
        if (role == Role.EVALUATOR && unit.scope() != Scope.CLUSTER) {
            throw new InvalidToken(Reason.MALFORMED, "an evaluator's token must name a cluster: ask the operator for a "
                    + "new token");
        }
        if (revocations.isRevoked(decoded.getId())) {
            throw new InvalidToken(Reason.REVOKED, "the token was revoked: ask the operator for a new token");
        }
        return new Claims(decoded.getId(), role, role == Role.SCHOOL ? io.schoolstats.report.Fields.normalize(subject) : null,
                keyId,
                decoded.getIssuedAtAsInstant(), decoded.getExpiresAtAsInstant(), unit);
    }

    /** The unit of a unit's token: its {@code sub}; a {@code unit} claim, when present, must say the same. */
    private static UnitId unit(String subject, String unitClaim) throws InvalidToken {
        UnitId unit = parseUnit(subject, "sub");
        if (unitClaim != null && !parseUnit(unitClaim, UNIT).equals(unit)) {
            throw new InvalidToken(Reason.MALFORMED, "the unit token names two units ('sub' and 'unit' differ): ask "
                    + "the operator for a new token");
        }
        return unit;
    }

    private static UnitId parseUnit(String text, String claim) throws InvalidToken {
        try {
            return UnitId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidToken(Reason.MALFORMED, "the unit token's '" + claim + "' is not SCOPE:CODE: ask the "
                    + "operator for a new token");
        }
    }

    private Optional<JWTVerifier> verifier(String keyId) {
        JWTVerifier cached = verifiers.get(keyId);
        if (cached != null) {
            return Optional.of(cached);
        }
        // Only configured ids are cached: a stream of made-up ids cannot grow the map.
        return keys.verifier(keyId).map(algorithm -> verifiers.computeIfAbsent(keyId, id ->
                ((JWTVerifier.BaseVerification) JWT.require(algorithm)
                        .withClaimPresence("exp")
                        .withClaimPresence("jti")
                        .withClaimPresence("sub")
                        .withClaimPresence(ROLE)
                        .acceptIssuedAt(ISSUED_AT_LEEWAY_SECONDS))
                        .build(clock)));
    }

    /** A key id as sent by anyone, safe to put in a message: short, printable ASCII. */
    private static String printable(String text) {
        String shown = text.replaceAll("[^\\x20-\\x7E]", "?");
        return shown.length() > 64 ? shown.substring(0, 64) + "..." : shown;
    }
}

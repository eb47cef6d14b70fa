package io.schoolstats.auth;

import io.schoolstats.reference.Scope;
import io.schoolstats.reference.UnitId;
import io.schoolstats.report.Fields;
import io.schoolstats.report.Quote;
import java.util.Objects;

/**
 * Who may read the per-school detail of a unit (which of its schools have not reported): the
 * office of that very unit, with its unit token, or an operator. Public reads stay aggregate;
 * naming schools is for those responsible for them. A district's token does not read its
 * communes or its province: a unit is its scope and its code, both.
 * <p>
 * A pure function of the {@code Authorization} header, with no web framework: the API maps
 * {@link AccessRefused} to its JSON error, its status and its {@code WWW-Authenticate} header.
 */
public final class ReadAccess {
    private static final String BEARER = "Bearer ";

    private final Tokens tokens;

    /** @param tokens the server's tokens, with its revocations */
    public ReadAccess(Tokens tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /**
     * The claims of the caller when it may read the per-school detail of the unit {@code scope}
     * {@code code}: an operator's token, or the token of exactly that unit (its code compared in NFC).
     *
     * @param authorizationHeader the request's {@code Authorization} header, or null
     * @param code                the unit's code as the request names it
     * @throws AccessRefused 401 without a valid token (none, not {@code Bearer}, malformed, badly
     *                       signed, expired, revoked), 403 for a school's token or another unit's
     */
    public Tokens.Claims requireUnit(String authorizationHeader, Scope scope, String code) throws AccessRefused {
        Objects.requireNonNull(scope, "scope");
        String askedCode = code == null ? "" : Fields.normalize(code);
        String asked = scope.label() + ":" + Quote.of(askedCode);
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw new AccessRefused(AccessRefused.Why.NO_TOKEN, null, asked, null, null);
        }
        // The scheme is case-insensitive (RFC 7235 section 2.1), as the ingestion routes read it.
        if (!authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new AccessRefused(AccessRefused.Why.NOT_BEARER, null, asked, null, null);
        }
        Tokens.Claims claims;
        try {
            claims = tokens.verify(authorizationHeader.substring(BEARER.length()).trim());
        } catch (Tokens.InvalidToken e) {
            throw new AccessRefused(AccessRefused.Why.INVALID_TOKEN, e.reason(), asked, e.getMessage(), null);
        }
        switch (claims.role()) {
            case OPERATOR -> {
                return claims;
            }
            case SCHOOL -> throw new AccessRefused(AccessRefused.Why.SCHOOL_TOKEN, null, asked, null, claims.school());
            case UNIT -> {
                UnitId own = claims.unit();
                if (own.scope() == scope && own.code().equals(askedCode)) {
                    return claims;
                }
                throw new AccessRefused(AccessRefused.Why.OTHER_UNIT, null, asked, null, own.toString());
            }
            // An evaluator scores the cluster's members; the office's lists are not theirs.
            case EVALUATOR -> throw new AccessRefused(AccessRefused.Why.OTHER_UNIT, null, asked, null,
                    "evaluator of " + claims.unit());
            default -> throw new IllegalStateException("a role this check does not know: " + claims.role());
        }
    }
}

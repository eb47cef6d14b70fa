package io.schoolstats.auth;

/** The ids of revoked tokens, as {@link Tokens#verify} asks them. */
@FunctionalInterface
public interface Revocations {
    /** No token is revoked (issuing only, or a test). */
    Revocations NONE = tokenId -> false;

    boolean isRevoked(String tokenId);
}

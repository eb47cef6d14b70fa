package io.schoolstats.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The in-memory set behind every instance's revocations: what a record of tokens.revoked does to it. */
class RevokedTokensTest {
    private final Instant now = Instant.parse("2024-03-05T00:00:00Z");
    private final RevokedTokens revoked = new RevokedTokens(Clock.systemUTC());

    private static byte[] value(Revocation revocation) {
        return revocation.toJson().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRevocationHoldsUntilItsTokenExpiresThenIsForgotten() {
        revoked.apply("a", value(new Revocation("a", now, now.plus(Duration.ofDays(2)), "leaked")), now);
        revoked.apply("b", value(new Revocation("b", now, null, null)), now);
        assertThat(revoked.isRevoked("a")).isTrue();
        assertThat(revoked.isRevoked("b")).isTrue();
        assertThat(revoked.isRevoked("c")).isFalse();

        revoked.prune(now.plus(Duration.ofDays(1)));
        assertThat(revoked.size()).isEqualTo(2);
        revoked.prune(now.plus(Duration.ofDays(3)));
        assertThat(revoked.isRevoked("a")).as("expired anyway: forgotten").isFalse();
        assertThat(revoked.isRevoked("b")).as("no expiry known: kept for good").isTrue();

        // A revocation of a token already expired is not even held.
        revoked.apply("d", value(new Revocation("d", now, now.minusSeconds(1), null)), now);
        assertThat(revoked.isRevoked("d")).isFalse();
    }

    @Test
    void aTombstoneLiftsARevocationAndAnUnreadableRecordFailsClosed() {
        revoked.apply("a", value(new Revocation("a", now, null, null)), now);
        revoked.apply("a", null, now);
        assertThat(revoked.isRevoked("a")).isFalse();

        revoked.apply("e", "{\"version\":2,\"tokenId\":\"e\"}".getBytes(StandardCharsets.UTF_8), now);
        revoked.apply("f", "not json".getBytes(StandardCharsets.UTF_8), now);
        revoked.apply("g", value(new Revocation("h", now, null, null)), now);
        assertThat(revoked.isRevoked("e")).isTrue();
        assertThat(revoked.isRevoked("f")).isTrue();
        assertThat(revoked.isRevoked("g")).isTrue();
        revoked.prune(Instant.MAX.minusSeconds(1));
        assertThat(revoked.size()).isEqualTo(3);
    }

    @Test
    void aRevocationReadsBackAndRefusesWhatItDoesNotKnow() {
        Revocation r = new Revocation("3f2b8a4e-0c1d-4e5f-9a6b-7c8d9e0f1a2b", now, now.plusSeconds(60), "lost laptop");
        assertThat(Revocation.fromJson(r.tokenId(), value(r))).isEqualTo(r);
        assertThatThrownBy(() -> Revocation.fromJson("x", "{\"version\":2,\"tokenId\":\"x\",\"revokedAt\":\"2024-03-05T00:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("version 1");
        assertThatThrownBy(() -> new Revocation("has space", now, null, null)).hasMessageContaining("token id");
        assertThatThrownBy(() -> new Revocation("x", now, null, "two\nlines")).hasMessageContaining("one line");
        assertThatThrownBy(() -> Revocation.instant("tomorrow", "--expires-at")).hasMessageContaining("--expires-at");
    }
}

package io.schoolstats.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.schoolstats.reference.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Who reads the per-school detail of a unit: its own office or an operator, nobody else. */
class ReadAccessTest {
    private static final String SECRET = "a-read-access-secret-of-at-least-32-bytes";
    private static final Instant NOW = Instant.parse("2026-10-05T02:00:00Z");
    private final Tokens issuer = tokensAt(NOW, Revocations.NONE);
    private final Tokens.Issued district = issuer.issueForUnit(Scope.DISTRICT, "001", Duration.ofDays(30));
    private final Tokens.Issued revoked = issuer.issueForUnit(Scope.DISTRICT, "001", Duration.ofDays(30));
    private final ReadAccess access = new ReadAccess(tokensAt(NOW, Set.of(revoked.claims().tokenId())::contains));

    private static Tokens tokensAt(Instant instant, Revocations revocations) {
        return new Tokens(TokenKeys.parse("k1:" + SECRET, "test"), revocations, Clock.fixed(instant, ZoneOffset.UTC));
    }

    private static String bearer(Tokens.Issued issued) {
        return "Bearer " + issued.token();
    }

    @Test
    void aUnitsOwnTokenReadsItsUnit() throws Exception {
        Tokens.Claims claims = access.requireUnit(bearer(district), Scope.DISTRICT, "001");
        assertThat(claims.tokenId()).isEqualTo(district.claims().tokenId());
        // The scheme is case-insensitive; spaces around the token are not part of it.
        assertThat(access.requireUnit("bearer  " + district.token() + " ", Scope.DISTRICT, "001").unit())
                .isEqualTo(district.claims().unit());
    }

    @Test
    void theCodeIsComparedInNfc() throws Exception {
        Tokens.Issued commune = issuer.issueForUnit(Scope.COMMUNE, "Ph\u01b0\u1eddng B\u1ebfn Th\u00e0nh", Duration.ofDays(1));
        String decomposed = "Phu\u031bo\u031b\u0300ng Be\u0302\u0301n Tha\u0300nh";
        assertThat(access.requireUnit(bearer(commune), Scope.COMMUNE, decomposed).unit().code())
                .isEqualTo("Ph\u01b0\u1eddng B\u1ebfn Th\u00e0nh");
    }

    @Test
    void anOperatorReadsEveryUnit() throws Exception {
        Tokens.Issued operator = issuer.issueForOperator(Duration.ofDays(1));
        for (Scope scope : Scope.values()) {
            assertThat(access.requireUnit(bearer(operator), scope, "any-" + scope.label()).operator()).isTrue();
        }
    }

    @Test
    void noHeaderIs401SayingHowToSendOne() {
        for (String none : new String[] {null, "", "  "}) {
            assertRefused(() -> access.requireUnit(none, Scope.DISTRICT, "001"), 401, AccessRefused.Why.NO_TOKEN,
                    "a token is required", "Authorization: Bearer <token>", "token issue --unit district:001");
        }
    }

    @Test
    void aHeaderWithoutBearerIs401() {
        assertRefused(() -> access.requireUnit(district.token(), Scope.DISTRICT, "001"), 401,
                AccessRefused.Why.NOT_BEARER, "is not 'Bearer <token>'");
        assertRefused(() -> access.requireUnit("Basic dXNlcjpwYXNz", Scope.DISTRICT, "001"), 401,
                AccessRefused.Why.NOT_BEARER, "is not 'Bearer <token>'");
    }

    @Test
    void garbageIs401() {
        AccessRefused refused = assertRefused(() -> access.requireUnit("Bearer not-a-jwt", Scope.DISTRICT, "001"), 401,
                AccessRefused.Why.INVALID_TOKEN, "not a well-formed JWT");
        assertThat(refused.tokenReason()).contains(Tokens.Reason.MALFORMED);
        assertThat(refused.challenge()).isEqualTo("Bearer error=\"invalid_token\"");
        assertRefused(() -> access.requireUnit("Bearer ", Scope.DISTRICT, "001"), 401, AccessRefused.Why.INVALID_TOKEN,
                "the token is empty");
    }

    @Test
    void aTokenSignedWithAnotherSecretIs401() {
        Tokens.Issued forged = new Tokens(TokenKeys.parse("k1:another-secret-that-is-also-32-bytes-long", "test"))
                .issueForUnit(Scope.DISTRICT, "001", Duration.ofDays(1));
        AccessRefused refused = assertRefused(() -> access.requireUnit(bearer(forged), Scope.DISTRICT, "001"), 401,
                AccessRefused.Why.INVALID_TOKEN, "signature does not match");
        assertThat(refused.tokenReason()).contains(Tokens.Reason.BAD_SIGNATURE);
    }

    @Test
    void anExpiredTokenIs401() {
        Tokens.Issued old = tokensAt(NOW.minus(Duration.ofDays(400)), Revocations.NONE)
                .issueForUnit(Scope.DISTRICT, "001", Tokens.UNIT_VALIDITY);
        AccessRefused refused = assertRefused(() -> access.requireUnit(bearer(old), Scope.DISTRICT, "001"), 401,
                AccessRefused.Why.INVALID_TOKEN, "the token expired at", "ask the operator for a new token");
        assertThat(refused.tokenReason()).contains(Tokens.Reason.EXPIRED);
        assertThat(refused.message(Locale.forLanguageTag("vi"))).isEqualTo("Mã truy cập đã hết hạn: hãy xin mã mới");
    }

    @Test
    void aRevokedTokenIs401() {
        AccessRefused refused = assertRefused(() -> access.requireUnit(bearer(revoked), Scope.DISTRICT, "001"), 401,
                AccessRefused.Why.INVALID_TOKEN, "the token was revoked");
        assertThat(refused.tokenReason()).contains(Tokens.Reason.REVOKED);
    }

    @Test
    void aSchoolsTokenIs403() {
        Tokens.Issued school = issuer.issueForSchool("HN-001-TH-01", Duration.ofDays(1));
        AccessRefused refused = assertRefused(() -> access.requireUnit(bearer(school), Scope.DISTRICT, "001"), 403,
                AccessRefused.Why.SCHOOL_TOKEN, "a school's token (school HN-001-TH-01)", "district:001");
        assertThat(refused.tokenReason()).isEmpty();
        assertThat(refused.challenge()).isEqualTo("Bearer error=\"insufficient_scope\"");
    }

    @Test
    void theSameCodeAtAnotherScopeIs403() {
        for (Scope other : new Scope[] {Scope.COMMUNE, Scope.PROVINCE, Scope.CLUSTER}) {
            assertRefused(() -> access.requireUnit(bearer(district), other, "001"), 403, AccessRefused.Why.OTHER_UNIT,
                    "this token is for the unit district:001", "cannot read the per-school detail of "
                            + other.label() + ":001");
        }
    }

    @Test
    void anotherCodeIs403NamingBothUnits() {
        AccessRefused refused = assertRefused(() -> access.requireUnit(bearer(district), Scope.DISTRICT, "002"), 403,
                AccessRefused.Why.OTHER_UNIT, "this token is for the unit district:001",
                "the per-school detail of district:002", "token issue --unit district:002");
        assertThat(refused.message(Locale.forLanguageTag("vi-VN")))
                .isEqualTo("Mã truy cập này dành cho đơn vị district:001; không được xem danh sách từng trường của "
                        + "district:002: hãy xin quản trị viên cấp mã cho district:002");
        // Case matters in codes, as in the reference data; and a code is not a prefix.
        assertRefused(() -> access.requireUnit(bearer(district), Scope.DISTRICT, "001 "), 403,
                AccessRefused.Why.OTHER_UNIT, "district:001 ");
        assertRefused(() -> access.requireUnit(bearer(district), Scope.DISTRICT, "0011"), 403,
                AccessRefused.Why.OTHER_UNIT, "district:0011");
        assertRefused(() -> access.requireUnit(bearer(district), Scope.DISTRICT, null), 403,
                AccessRefused.Why.OTHER_UNIT, "district:001");
    }

    @Test
    void aLongCodeInTheRequestIsQuotedShort() {
        AccessRefused refused = assertRefused(() -> access.requireUnit(bearer(district), Scope.DISTRICT, "9".repeat(5000)),
                403, AccessRefused.Why.OTHER_UNIT, "district:" + "9".repeat(100) + "…");
        assertThat(refused.getMessage()).hasSizeLessThan(600);
    }

    @Test
    void englishIsTheDefaultWhateverTheLocale() {
        AccessRefused refused = assertRefused(() -> access.requireUnit(null, Scope.CLUSTER, "HN-C1"), 401,
                AccessRefused.Why.NO_TOKEN, "a token is required");
        assertThat(refused.message(Locale.FRENCH)).isEqualTo(refused.getMessage());
        assertThat(refused.message(Locale.forLanguageTag("vi"))).startsWith("Cần mã truy cập");
        assertThat(refused.challenge()).isEqualTo("Bearer");
    }

    private static AccessRefused assertRefused(ThrowingCallable read, int status, AccessRefused.Why why,
                                               String... messageParts) {
        AccessRefused[] caught = new AccessRefused[1];
        assertThatThrownBy(read).isInstanceOfSatisfying(AccessRefused.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.why()).isEqualTo(why);
            assertThat(e.getMessage()).contains(messageParts);
            caught[0] = e;
        });
        return caught[0];
    }
}

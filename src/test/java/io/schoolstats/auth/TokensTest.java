package io.schoolstats.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.cli.Main;
import io.schoolstats.reference.Scope;
import io.schoolstats.reference.UnitId;
import io.schoolstats.report.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokensTest {
    private static final String SECRET1 = "the-first-secret-of-at-least-32-bytes";
    private static final String SECRET2 = "the-second-secret-of-at-least-32-bytes";
    private final Instant now = Instant.parse("2024-03-05T00:00:00Z");

    private Tokens at(Instant instant, String keys) {
        return at(instant, keys, Revocations.NONE);
    }

    private Tokens at(Instant instant, String keys, Revocations revocations) {
        return new Tokens(TokenKeys.parse(keys, "test"), revocations, Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void aTokenIsAStandardJwtWithKeyIdExpiryAndId() throws Exception {
        Tokens tokens = at(now, "k1:" + SECRET1);
        Tokens.Issued issued = tokens.issueForSchool("HN-1", Duration.ofDays(2));
        String[] parts = issued.token().split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode payload = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.get("alg").asText()).isEqualTo("HS256");
        assertThat(header.get("kid").asText()).isEqualTo("k1");
        assertThat(payload.get("sub").asText()).isEqualTo("HN-1");
        assertThat(payload.get("role").asText()).isEqualTo("school");
        assertThat(payload.get("iat").asLong()).isEqualTo(now.getEpochSecond());
        assertThat(payload.get("exp").asLong()).isEqualTo(now.plus(Duration.ofDays(2)).getEpochSecond());
        assertThat(payload.get("jti").asText()).isEqualTo(issued.claims().tokenId()).hasSize(36);

        Tokens.Claims claims = tokens.verify(issued.token());
        assertThat(claims).isEqualTo(issued.claims());
        assertThat(claims.school()).isEqualTo("HN-1");
        assertThat(claims.operator()).isFalse();
        assertThat(claims.role().label()).isEqualTo("school");

        Tokens.Claims operator = tokens.verify(tokens.issueForOperator(Duration.ofDays(1)).token());
        assertThat(operator.operator()).isTrue();
        assertThat(operator.school()).isNull();
        assertThat(operator.tokenId()).isNotEqualTo(claims.tokenId());
    }

    @Test
    void aUnitTokenNamesItsScopeAndCodeAndNoSchool() throws Exception {
        Tokens tokens = at(now, "k1:" + SECRET1);
        Tokens.Issued issued = tokens.issueForUnit(Scope.CLUSTER, "HN-C1", Tokens.UNIT_VALIDITY);
        JsonNode payload = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(issued.token().split("\\.")[1]));
        assertThat(payload.get("sub").asText()).isEqualTo("cluster:HN-C1");
        assertThat(payload.get("unit").asText()).isEqualTo("cluster:HN-C1");
        assertThat(payload.get("role").asText()).isEqualTo("unit");
        assertThat(payload.get("exp").asLong()).isEqualTo(now.plus(Duration.ofDays(365)).getEpochSecond());

        Tokens.Claims claims = tokens.verify(issued.token());
        assertThat(claims).isEqualTo(issued.claims());
        assertThat(claims.role()).isEqualTo(Tokens.Role.UNIT);
        assertThat(claims.unit()).isEqualTo(new UnitId(Scope.CLUSTER, "HN-C1"));
        assertThat(claims.school()).isNull();
        assertThat(claims.operator()).isFalse();

        // Typed on a Mac (NFD), the code is the one the reference data holds (NFC); a code may hold ':'.
        String decomposed = "Ba\u0300 Ri\u0323a:01";
        Tokens.Claims commune = tokens.verify(tokens.issueForUnit(Scope.COMMUNE, decomposed, Duration.ofDays(1)).token());
        assertThat(commune.unit().code()).isEqualTo("B\u00e0 R\u1ecba:01");
        assertThat(commune.unit().scope()).isEqualTo(Scope.COMMUNE);

        assertThatThrownBy(() -> tokens.issueForUnit(Scope.DISTRICT, "00|1", Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a unit code");
        assertThatThrownBy(() -> tokens.issueForUnit(Scope.DISTRICT, "", Duration.ofDays(1)))
                .hasMessageContaining("not a unit code");
        assertThatThrownBy(() -> tokens.issueForUnit(null, "001", Duration.ofDays(1))).hasMessageContaining("scope");
    }

    @Test
    void aUnitTokenWhoseUnitCannotBeReadIsRefused() {
        Tokens tokens = at(now, "k1:" + SECRET1);
        String noScope = JWT.create().withKeyId("k1").withSubject("001").withClaim("role", "unit")
                .withExpiresAt(now.plusSeconds(60)).withJWTId("x").sign(Algorithm.HMAC256(SECRET1));
        assertRefused(() -> tokens.verify(noScope), Tokens.Reason.MALFORMED, "'sub' is not SCOPE:CODE");
        String unknownScope = JWT.create().withKeyId("k1").withSubject("ward:001").withClaim("role", "unit")
                .withExpiresAt(now.plusSeconds(60)).withJWTId("x").sign(Algorithm.HMAC256(SECRET1));
        assertRefused(() -> tokens.verify(unknownScope), Tokens.Reason.MALFORMED, "'sub' is not SCOPE:CODE");
        String twoUnits = JWT.create().withKeyId("k1").withSubject("district:001").withClaim("role", "unit")
                .withClaim("unit", "province:01").withExpiresAt(now.plusSeconds(60)).withJWTId("x")
                .sign(Algorithm.HMAC256(SECRET1));
        assertRefused(() -> tokens.verify(twoUnits), Tokens.Reason.MALFORMED, "names two units");
    }

    @Test
    void expiryIsCheckedWithTheClock() throws Exception {
        String token = at(now, "k1:" + SECRET1).issueForSchool("HN-1", Duration.ofDays(2)).token();
        assertThat(at(now.plus(Duration.ofDays(1)), "k1:" + SECRET1).verify(token).school()).isEqualTo("HN-1");
        assertRefused(() -> at(now.plus(Duration.ofDays(2)).plusSeconds(1), "k1:" + SECRET1).verify(token),
                Tokens.Reason.EXPIRED, "the token expired at 2024-03-07T00:00:00Z");
        // Issued by a machine whose clock is a little ahead: accepted.
        assertThat(at(now.minusSeconds(60), "k1:" + SECRET1).verify(token).school()).isEqualTo("HN-1");
    }

    @Test
    void aTokenWithoutExpiryIsRefused() {
        String forever = JWT.create().withKeyId("k1").withSubject("operator").withClaim("role", "operator")
                .withIssuedAt(now).withJWTId("no-expiry").sign(Algorithm.HMAC256(SECRET1));
        assertRefused(() -> at(now, "k1:" + SECRET1).verify(forever), Tokens.Reason.NO_EXPIRY, "no expiry");
    }

    @Test
    void aChangedPayloadAnotherSecretOrAnotherAlgorithmIsRefused() {
        Tokens tokens = at(now, "k1:" + SECRET1);
        String token = tokens.issueForSchool("HN-1", Duration.ofDays(1)).token();
        String[] parts = token.split("\\.");
        String operatorPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(new String(
                Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"school\"", "\"operator\"").getBytes(StandardCharsets.UTF_8));
        assertRefused(() -> tokens.verify(parts[0] + "." + operatorPayload + "." + parts[2]), Tokens.Reason.BAD_SIGNATURE,
                "signature does not match");
        assertRefused(() -> at(now, "k1:" + SECRET2).verify(token), Tokens.Reason.BAD_SIGNATURE, "signature");
        String none = JWT.create().withKeyId("k1").withSubject("operator").withClaim("role", "operator")
                .withExpiresAt(now.plusSeconds(60)).withJWTId("x").sign(Algorithm.none());
        assertRefused(() -> tokens.verify(none), Tokens.Reason.BAD_SIGNATURE, "HS256");
        String hs512 = JWT.create().withKeyId("k1").withSubject("operator").withClaim("role", "operator")
                .withExpiresAt(now.plusSeconds(60)).withJWTId("x").sign(Algorithm.HMAC512(SECRET1));
        assertRefused(() -> tokens.verify(hs512), Tokens.Reason.BAD_SIGNATURE, "HS256");
        assertRefused(() -> tokens.verify("Bearer nonsense"), Tokens.Reason.MALFORMED, "not a well-formed JWT");
        assertRefused(() -> tokens.verify("sst1.eyJzY2hvb2wiOiJITi0xIn0.c2lnbmF0dXJl"), Tokens.Reason.OLD_FORMAT,
                "old format");
        String noKeyId = JWT.create().withSubject("operator").withClaim("role", "operator")
                .withExpiresAt(now.plusSeconds(60)).withJWTId("x").sign(Algorithm.HMAC256(SECRET1));
        assertRefused(() -> tokens.verify(noKeyId), Tokens.Reason.UNKNOWN_KEY, "names no signing key");
        String badRole = JWT.create().withKeyId("k1").withSubject("HN-1").withClaim("role", "admin")
                .withExpiresAt(now.plusSeconds(60)).withJWTId("x").sign(Algorithm.HMAC256(SECRET1));
        assertRefused(() -> tokens.verify(badRole), Tokens.Reason.MALFORMED, "role");
    }

    @Test
    void hostileTokensAreRefusedAsInvalidNeverWithAnotherException() {
        Tokens tokens = at(now, "k1:" + SECRET1);
        String valid = tokens.issueForSchool("HN-1", Duration.ofDays(1)).token();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.={}\"\\ ";
        Random random = new Random(7);
        for (int i = 0; i < 3000; i++) {
            StringBuilder token = new StringBuilder(i % 2 == 0 ? valid : "");
            if (i % 2 == 0) {
                token.setCharAt(random.nextInt(token.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            } else {
                int length = random.nextInt(200);
                for (int c = 0; c < length; c++) {
                    token.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            try {
                // A change in the unused low bits of the last base64 character may leave the token intact.
                assertThat(tokens.verify(token.toString()).school()).isEqualTo("HN-1");
            } catch (Tokens.InvalidToken expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void rotationANewKeySignsWhileTheOldOneStillVerifiesUntilItIsDropped() throws Exception {
        String oldToken = at(now, "k1:" + SECRET1).issueForSchool("HN-1", Duration.ofDays(30)).token();

        // Step 1: k2 is added as a verifier everywhere; k1 still signs.
        Tokens step1 = at(now, "k1:" + SECRET1 + ",k2:" + SECRET2);
        assertThat(step1.keys().signingKeyId()).isEqualTo("k1");
        assertThat(step1.verify(oldToken).keyId()).isEqualTo("k1");

        // Step 2: k2 signs, k1 verifies: old and new tokens both work.
        Tokens step2 = at(now, " k2:" + SECRET2 + " , k1:" + SECRET1 + " ");
        Tokens.Issued newToken = step2.issueForOperator(Duration.ofDays(1));
        assertThat(newToken.claims().keyId()).isEqualTo("k2");
        assertThat(step2.verify(oldToken).school()).isEqualTo("HN-1");
        assertThat(step2.verify(newToken.token()).operator()).isTrue();

        // Step 3: k1 is dropped; its tokens stop working with a message that says why.
        Tokens step3 = at(now, "k2:" + SECRET2);
        assertThat(step3.verify(newToken.token()).operator()).isTrue();
        assertRefused(() -> step3.verify(oldToken), Tokens.Reason.UNKNOWN_KEY,
                "signed with the key 'k1', which this server does not know");
    }

    @Test
    void aRevokedTokenIsRefusedAndOnlyThatOne() throws Exception {
        Tokens issuer = at(now, "k1:" + SECRET1);
        Tokens.Issued leaked = issuer.issueForSchool("HN-1", Duration.ofDays(1));
        Tokens.Issued kept = issuer.issueForSchool("HN-1", Duration.ofDays(1));
        Tokens.Issued leakedUnit = issuer.issueForUnit(Scope.DISTRICT, "001", Duration.ofDays(1));
        Tokens server = at(now, "k1:" + SECRET1,
                Set.of(leaked.claims().tokenId(), leakedUnit.claims().tokenId())::contains);
        assertRefused(() -> server.verify(leaked.token()), Tokens.Reason.REVOKED, "the token was revoked");
        assertRefused(() -> server.verify(leakedUnit.token()), Tokens.Reason.REVOKED, "the token was revoked");
        assertThat(server.verify(kept.token()).tokenId()).isEqualTo(kept.claims().tokenId());
    }

    @Test
    void secretsShorterThan32BytesAreRefusedWithoutShowingThem() {
        String sixteen = "0123456789abcdef";
        assertThatThrownBy(() -> TokenKeys.single(sixteen, "SCHOOLSTATS_TOKEN_SECRET"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SCHOOLSTATS_TOKEN_SECRET").hasMessageContaining("16 bytes")
                .hasMessageContaining("at least 32 bytes").hasMessageContaining("openssl rand -base64 32")
                .hasMessageNotContaining(sixteen);
        assertThatThrownBy(() -> TokenKeys.parse("k2:" + SECRET2 + ",k1:" + "x".repeat(31), "token.keys"))
                .hasMessageContaining("token key 'k1'").hasMessageContaining("31 bytes");
        assertThat(TokenKeys.single("x".repeat(32), "test").ids()).containsExactly("default");
        // 11 letters of 3 bytes each in UTF-8: 33 bytes, though 11 characters.
        assertThat(TokenKeys.parse("k:" + "ệ".repeat(11), "test").ids()).containsExactly("k");

        assertThatThrownBy(() -> TokenKeys.parse(SECRET1, "SCHOOLSTATS_TOKEN_KEYS"))
                .hasMessageContaining("entry 1 of SCHOOLSTATS_TOKEN_KEYS is not KEY_ID:SECRET").hasMessageNotContaining(SECRET1);
        assertThatThrownBy(() -> TokenKeys.parse("k1:" + SECRET1 + ",k1:" + SECRET2, "test")).hasMessageContaining("twice");
        assertThatThrownBy(() -> TokenKeys.parse("k 1:" + SECRET1, "test")).hasMessageContaining("key id");
        assertThatThrownBy(() -> TokenKeys.parse(" ", "token.keys")).hasMessageContaining("token.keys is empty");
        assertThat(TokenKeys.parse("k2:" + SECRET2 + ",k1:" + SECRET1, "test").toString())
                .doesNotContain(SECRET1).doesNotContain(SECRET2).contains("k2", "k1");
    }

    @Test
    void theCommandLineIssuesTokensTheServerAccepts(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("schoolstats.properties");
        Files.writeString(config, "token.keys=k2:" + SECRET2 + ",k1:" + SECRET1 + "\n");
        Tokens server = new Tokens(TokenKeys.parse("k1:" + SECRET1 + ",k2:" + SECRET2, "test"));

        Output school = run("token", "issue", "--school", "HN-7", "--config", config.toString());
        assertThat(school.code()).as(school.err()).isZero();
        Tokens.Claims claims = server.verify(school.lastLine());
        assertThat(claims.school()).isEqualTo("HN-7");
        assertThat(claims.keyId()).isEqualTo("k2");
        assertThat(claims.expiresAt()).as("a school's token: 365 days by default")
                .isBetween(Instant.now().plus(Duration.ofDays(364)), Instant.now().plus(Duration.ofDays(366)));
        assertThat(school.err()).contains("token id " + claims.tokenId()).contains("expires " + claims.expiresAt())
                .contains("token revoke --id " + claims.tokenId());

        Output operator = run("token", "issue", "--operator", "--config", config.toString());
        assertThat(server.verify(operator.lastLine()).expiresAt()).as("an operator's token: 30 days by default")
                .isBetween(Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));
        Output threeDays = run("token", "issue", "--school", "HN-7", "--days", "3", "--config", config.toString());
        assertThat(server.verify(threeDays.lastLine()).expiresAt())
                .isBetween(Instant.now().plus(Duration.ofDays(2)), Instant.now().plus(Duration.ofDays(4)));

        assertThat(run("token", "issue", "--school", "HN-7", "--days", "0", "--config", config.toString()).err())
                .contains("--days must be 1 to 3650");
        Files.writeString(config, "token.secret=0123456789abcdef\n");
        Output shortSecret = run("token", "issue", "--school", "HN-7", "--config", config.toString());
        assertThat(shortSecret.code()).isEqualTo(1);
        assertThat(shortSecret.err()).contains("at least 32 bytes").contains("token.secret in " + config);
        Files.writeString(config, "token.secret=" + SECRET1 + "\ntoken.keys=k2:" + SECRET2 + "\n");
        assertThat(run("token", "issue", "--operator", "--config", config.toString()).err())
                .contains("both token.keys in " + config + " and token.secret in " + config + " are set");
    }

    @Test
    void theCommandLineIssuesAUnitTokenAndRefusesAUnitItCannotRead(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("schoolstats.properties");
        Files.writeString(config, "token.keys=k1:" + SECRET1 + "\n");
        Tokens server = new Tokens(TokenKeys.parse("k1:" + SECRET1, "test"));

        Output district = run("token", "issue", "--unit", "district:001", "--config", config.toString());
        assertThat(district.code()).as(district.err()).isZero();
        Tokens.Claims claims = server.verify(district.lastLine());
        assertThat(claims.role()).isEqualTo(Tokens.Role.UNIT);
        assertThat(claims.unit()).isEqualTo(new UnitId(Scope.DISTRICT, "001"));
        assertThat(claims.expiresAt()).as("a unit's token: 365 days by default")
                .isBetween(Instant.now().plus(Duration.ofDays(364)), Instant.now().plus(Duration.ofDays(366)));
        assertThat(district.err()).contains("token id " + claims.tokenId() + " (unit district:001)")
                .contains("token revoke --id " + claims.tokenId());

        Output cluster = run("token", "issue", "--unit", "cluster:HN-C1", "--days", "7", "--config", config.toString());
        Tokens.Claims week = server.verify(cluster.lastLine());
        assertThat(week.unit()).isEqualTo(new UnitId(Scope.CLUSTER, "HN-C1"));
        assertThat(week.expiresAt()).isBetween(Instant.now().plus(Duration.ofDays(6)), Instant.now().plus(Duration.ofDays(8)));

        Output badScope = run("token", "issue", "--unit", "ward:001", "--config", config.toString());
        assertThat(badScope.code()).isEqualTo(2);
        assertThat(badScope.err()).contains("--unit").contains("'ward' is not a scope: district, commune, province or cluster");
        Output noColon = run("token", "issue", "--unit", "001", "--config", config.toString());
        assertThat(noColon.code()).isEqualTo(2);
        assertThat(noColon.err()).contains("--unit").contains("write the unit as SCOPE:CODE");
        Output badCode = run("token", "issue", "--unit", "district:", "--config", config.toString());
        assertThat(badCode.code()).isEqualTo(2);
        assertThat(badCode.err()).contains("not a unit code");
        Output both = run("token", "issue", "--unit", "district:001", "--school", "HN-7", "--config", config.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(both.out()).isEmpty();
    }

    private record Output(int code, String out, String err) {
        String lastLine() {
            List<String> lines = out.lines().toList();
            return lines.get(lines.size() - 1);
        }
    }

    private static Output run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StringWriter picocliErr = new StringWriter();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(picocliErr, true));
            code = cl.execute(args);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8) + picocliErr);
    }

    private static void assertRefused(ThrowingCallable verify, Tokens.Reason reason, String message) {
        assertThatThrownBy(verify).isInstanceOfSatisfying(Tokens.InvalidToken.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(message);
        });
    }
}

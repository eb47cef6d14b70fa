package io.schoolstats.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.schoolstats.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {
    private final Tokens tokens = new Tokens("0123456789abcdef-secret");
    private final Instant now = Instant.parse("2024-03-05T00:00:00Z");

    @Test
    void aTokenCarriesItsSchoolAndExpiry() throws Exception {
        String token = tokens.issue(new Tokens.Claims("HN-1", now, now.plus(Duration.ofDays(2))));
        Tokens.Claims claims = tokens.verify(token, now.plus(Duration.ofDays(1)));
        assertThat(claims.school()).isEqualTo("HN-1");
        assertThat(claims.operator()).isFalse();
        assertThatThrownBy(() -> tokens.verify(token, now.plus(Duration.ofDays(2))))
                .isInstanceOf(Tokens.InvalidToken.class).hasMessageContaining("expired");
        assertThat(tokens.verify(tokens.issue(new Tokens.Claims(null, now, null)), now).operator()).isTrue();
    }

    @Test
    void aChangedPayloadOrAnotherSecretIsRefused() {
        String token = tokens.issue(new Tokens.Claims("HN-1", now, null));
        String[] parts = token.split("\\.");
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"operator\":true,\"iat\":0}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> tokens.verify(parts[0] + "." + otherPayload + "." + parts[2], now))
                .isInstanceOf(Tokens.InvalidToken.class).hasMessageContaining("signature");
        assertThatThrownBy(() -> new Tokens("another-secret-entirely").verify(token, now))
                .isInstanceOf(Tokens.InvalidToken.class);
        assertThatThrownBy(() -> tokens.verify("Bearer nonsense", now)).isInstanceOf(Tokens.InvalidToken.class);
        assertThatThrownBy(() -> new Tokens("short")).hasMessageContaining("at least 16");
    }

    @Test
    void theCommandLineIssuesTokensTheServerAccepts(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("schoolstats.properties");
        Files.writeString(config, "token.secret=0123456789abcdef-secret\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.commandLine().execute("token", "issue", "--school", "HN-7", "--days", "3", "--config", config.toString());
        } finally {
            System.setOut(original);
        }
        assertThat(code).isZero();
        Tokens.Claims claims = tokens.verify(out.toString(StandardCharsets.UTF_8).trim(), Instant.now());
        assertThat(claims.school()).isEqualTo("HN-7");
        assertThat(claims.expiresAt()).isBetween(Instant.now().plus(Duration.ofDays(2)), Instant.now().plus(Duration.ofDays(3)));
    }
}

package io.schoolstats.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where push and reference load take their token from: a file or the environment, never the command line. */
class PushTokenTest {
    @Test
    void theTokenComesFromAFileElseFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("hn7.token"), "eyJ.file.token\n");
        assertThat(PushCommand.token(file, null, "eyJ.env.token")).isEqualTo("eyJ.file.token");
        assertThat(PushCommand.token(null, null, " eyJ.env.token\n")).isEqualTo("eyJ.env.token");
        assertThatThrownBy(() -> PushCommand.token(null, null, null))
                .hasMessageContaining("SCHOOLSTATS_TOKEN").hasMessageContaining("--token-file");
        assertThatThrownBy(() -> PushCommand.token(Files.writeString(dir.resolve("empty"), "\n"), null, null))
                .hasMessageContaining("it is empty");
        assertThatThrownBy(() -> PushCommand.token(Files.writeString(dir.resolve("two"), "a\nb\n"), null, null))
                .hasMessageContaining("one token and nothing else");
        assertThatThrownBy(() -> PushCommand.token(dir.resolve("missing"), null, null))
                .hasMessageContaining("cannot read --token-file");
    }

    @Test
    void aTokenOnTheCommandLineIsRefusedSayingWhy(@TempDir Path dir) throws Exception {
        Path reports = Files.writeString(dir.resolve("a.csv"), "schoolId,date,enrolled,present\nX,2024-03-05,1,1\n");
        assertThat(refusal("push", "--type", "attendance", "--file", reports.toString(), "--url", "http://localhost:1",
                "--token", "eyJ.secret.token")).contains("--token is not accepted").contains("(ps)")
                .contains("SCHOOLSTATS_TOKEN").doesNotContain("eyJ.secret.token");
        assertThat(refusal("reference", "load", dir.toString(), "--url", "http://localhost:1", "--token", "eyJ.secret.token"))
                .contains("--token is not accepted");
        // Before the file is read: a large file is not validated for nothing.
        assertThat(refusal("push", "--type", "attendance", "--file", dir.resolve("missing.csv").toString(),
                "--url", "http://localhost:1", "--token", "eyJ.secret.token")).contains("--token is not accepted");
    }

    private static String refusal(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute(args)).isEqualTo(1);
        return err.toString();
    }
}

package io.schoolstats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's help renders as written: picocli formats descriptions, so a bare '%' garbles them. */
class HelpTextTest {
    @Test
    void everyCommandsHelpRendersWithoutAWarning() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CommandLine main = Main.commandLine();
            assertThat(main.getUsageMessage()).contains("Usage:");
            main.getSubcommands().forEach((name, command) -> {
                String usage = command.getUsageMessage();
                assertThat(usage).as(name).contains("Usage:").doesNotContain("%n");
                command.getSubcommands().forEach((sub, c) -> assertThat(c.getUsageMessage()).as(name + " " + sub)
                        .doesNotContain("%n"));
            });
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }
}

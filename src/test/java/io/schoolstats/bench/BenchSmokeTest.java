package io.schoolstats.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small run of the benchmark: its only assertion is that schoolstats' aggregates equal the
 * baseline's. Timings are the benchmark's business, never a test's.
 */
@ExtendWith(KafkaBroker.class)
class BenchSmokeTest {
    @Test
    void schoolstatsEqualsTheBaselineOnASmallDataset(Broker broker, @TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Bench.Result result = new Bench(new Bench.Options(broker.bootstrapServers(), dir, 600, 2, 2, 200, 2, Map.of(), 7, 1),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        assertThat(result.equal()).as(log.toString(StandardCharsets.UTF_8)).isTrue();
        assertThat(result.reportsRead()).isGreaterThan(1200);
        assertThat(result.aggregates()).isPositive();
        assertThat(result.storeLatencyMillis()).isNotEmpty();
        // The warm-up pass ran to the end, and was equal too (else the result would say different).
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("schoolstats (warm-up 1 of 1): equal to the baseline");
    }
}

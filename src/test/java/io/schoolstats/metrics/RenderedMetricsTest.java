package io.schoolstats.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class RenderedMetricsTest {
    /** A part as the metrics write one: in chunks, the large ones many. */
    private static TextPart part(String text) {
        ChunkedBytes out = new ChunkedBytes();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        return new TextPart(out.chunks());
    }

    @Test
    void aGzippedPageIsOneGzipMemberOfAllItsParts() throws Exception {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            big.append("schoolstats_exam_candidates{scope=\"district\",code=\"").append(i)
                    .append("\",name=\"Quận \\\"Một\\\" \\\\ Hà Nội\"} ").append(i * 7).append('\n');
        }
        List<TextPart> parts = List.of(part("# TYPE jvm_threads gauge\njvm_threads 12.0\n"), TextPart.EMPTY,
                part(big.toString()), part("schoolstats_attendance_ratio{code=\"A\"} 0.85\n"));
        assertThat(parts.get(2).length()).isGreaterThan(50L * ChunkedBytes.MAX_CHUNK);
        RenderedMetrics.Page page = new RenderedMetrics.Page(parts);
        String expected = "# TYPE jvm_threads gauge\njvm_threads 12.0\n" + big + "schoolstats_attendance_ratio{code=\"A\"} 0.85\n";
        assertThat(page.asString()).isEqualTo(expected);
        assertThat(new String(page.text().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(expected);
        byte[] gzip = page.gzip().readAllBytes();

        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
        // One member: its deflate stream ends with the last part, and only the 8-byte trailer follows
        // (a client that reads one member only, as curl does, gets the whole page).
        Inflater inflater = new Inflater(true);
        inflater.setInput(gzip, 10, gzip.length - 10);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            assertThat(n > 0 || !inflater.needsInput()).as("the deflate stream ends before the input").isTrue();
            text.write(buffer, 0, n);
        }
        assertThat(inflater.getRemaining()).isEqualTo(8);
        assertThat(text.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        // Compressed once per part, then reused.
        assertThat(parts.get(2).deflatedChunks()).isSameAs(parts.get(2).deflatedChunks());
        assertThat(page.gzip().readAllBytes()).isEqualTo(gzip);
    }
}

package io.schoolstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.schoolstats.report.Quote;
import io.schoolstats.report.ReportType;
import io.schoolstats.report.Violation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Bodies as spreadsheets and clients send them, and as an attacker would: each bounded, each named. */
class BodiesTest {
    private static List<Item> csv(String text) throws BodyException {
        return Bodies.csv(text.getBytes(StandardCharsets.UTF_8), false);
    }

    private static BodyException csvFails(String text) {
        try {
            csv(text);
        } catch (BodyException e) {
            return e;
        }
        throw new AssertionError("the CSV was read");
    }

    private static BodyException jsonFails(String text) {
        try {
            Bodies.json(text.getBytes(StandardCharsets.UTF_8));
        } catch (BodyException e) {
            return e;
        }
        throw new AssertionError("the JSON was read");
    }

    @Test
    void csvRowsAreNumberedByTheLineTheyStartOn() throws BodyException {
        List<Item> items = csv("\uFEFFschoolId;date;enrolled;present;note\r\n"
                + "S1;2024-03-05;10;9;\"two\r\nlines\"\r\n"
                + "\r\n"
                + "\r\n"
                + "S2;2024-03-05;+20;19;\"a \"\"quoted\"\" word; and a ;\"\r\n"
                + "S3;2024-03-05;30;29;5\" monitor\n"
                + "S4;2024-03-05;40;39;");
        assertThat(items).extracting(Item::index).containsExactly(2, 6, 7, 8);
        assertThat(items.get(0).node().get("note").asText()).isEqualTo("two\r\nlines");
        assertThat(items.get(1).node().get("enrolled").asInt()).isEqualTo(20);
        assertThat(items.get(1).node().get("note").asText()).isEqualTo("a \"quoted\" word; and a ;");
        assertThat(items.get(2).node().get("note").asText()).isEqualTo("5\" monitor");
        assertThat(items.get(3).node().has("note")).isFalse();
    }

    @Test
    void aCsvOf20000ColumnsIsRefusedAtItsHeader() {
        StringBuilder wide = new StringBuilder("schoolId");
        for (int i = 0; i < 20_000; i++) {
            wide.append(",c").append(i);
        }
        wide.append('\n');
        for (int row = 0; row < 20; row++) {
            wide.append("S").append(",1".repeat(20_000)).append('\n');
        }
        BodyException e = csvFails(wide.toString());
        assertThat(e.index()).as(e.getMessage()).isEqualTo(1);
        assertThat(e.getMessage()).contains("more than 200 columns");
        assertThat(e.message(true)).contains("200 cột");
    }

    @Test
    void aRowWiderThanTheLimitIsRefusedWithItsLine() {
        BodyException e = csvFails("schoolId,date\nS1,2024-03-05\nS2" + ",x".repeat(250) + "\n");
        assertThat(e.index()).isEqualTo(3);
        assertThat(e.getMessage()).startsWith("line 3 has more than 200 cells");
    }

    @Test
    void aCellOver1000CharactersIsRefusedNamingLineAndColumn() {
        String cell = "Trường " + "x".repeat(1200);
        BodyException e = csvFails("schoolId,date,name\nS1,2024-03-05,ok\nS2,2024-03-05," + cell + "\n");
        assertThat(e.index()).isEqualTo(3);
        assertThat(e.field()).isEqualTo("name");
        assertThat(e.getMessage()).startsWith("line 3, column 'name': a cell may have at most 1000 characters")
                .contains("'" + cell.substring(0, 100) + "…'").hasSizeLessThan(300);
        // Far over the limit (and quoted, with new lines): refused while it streams, with the same words.
        String huge = "\"" + "y\n".repeat(300_000) + "\"";
        BodyException streaming = csvFails("schoolId,date,name\nS1,2024-03-05," + huge + "\n");
        assertThat(streaming.index()).isEqualTo(2);
        assertThat(streaming.getMessage()).startsWith("line 2, column 'name': a cell may have at most 1000 characters")
                .hasSizeLessThan(300);
    }

    @Test
    void aCountOf400000DigitsIsRefusedQuickly() throws BodyException {
        long start = System.nanoTime();
        BodyException e = csvFails("schoolId,date,enrolled,present\nS1,2024-03-05," + "9".repeat(400_000) + ",1\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(e.index()).isEqualTo(2);
        assertThat(e.field()).isEqualTo("enrolled");
        assertThat(e.getMessage()).hasSizeLessThan(300).contains("9".repeat(100) + "…").doesNotContain("9".repeat(101));
        // Within the cell limit but far beyond any count: refused before it is made a number.
        BodyException digits = csvFails("schoolId,date,enrolled,present\nS1,2024-03-05,1," + "7".repeat(500) + "\n");
        assertThat(digits.getMessage()).startsWith("line 2, column 'present': a number may have at most 100 digits; "
                + "this one has 500");
        // Long but plausible: a number, refused by the validator with the value quoted.
        Violation tooLarge = Validation.reports(ReportType.ATTENDANCE, Bodies.csv(("schoolId,date,enrolled,present\n"
                + "S1,2024-03-05," + "8".repeat(60) + ",1\n").getBytes(StandardCharsets.UTF_8), false),
                io.schoolstats.report.Received.unknown(), code -> true).rejected().get(0)
                .violation();
        assertThat(tooLarge.reason()).isEqualTo(Violation.Reason.TOO_LARGE);
        assertThat(tooLarge.message()).isEqualTo("'enrolled' must be at most 2147483647, got " + "8".repeat(60));
    }

    @Test
    void aCsvThatIsNotUtf8OrHasNoHeaderSaysSo() {
        assertThat(csvFails("").getMessage()).contains("the CSV is empty");
        assertThat(csvFails("\n\n").getMessage()).contains("the CSV is empty");
        byte[] latin1 = "schoolId,name\nS1,Thái Bình\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Bodies.csv(latin1, true)).hasMessageContaining("not UTF-8");
        String names = ",x".repeat(150);
        BodyException missing = csvFails("schoolId" + names + ",,y\nS1\n");
        assertThat(missing.getMessage()).startsWith("the CSV cannot be read: ").hasSizeLessThanOrEqualTo(130);
    }

    @Test
    void aJsonArrayIsReadOneItemAtATime() throws IOException, BodyException {
        byte[] body = ("[" + "{},".repeat(349_000) + "{}]").getBytes(StandardCharsets.UTF_8);
        CountingInput in = new CountingInput(body);
        try (ItemStream items = Bodies.json(in)) {
            for (int i = 0; i <= 10_000; i++) {
                assertThat(items.next().index()).isEqualTo(i);
            }
        }
        // 10,001 items of 3 bytes, and the parser's buffer: not the megabyte.
        assertThat(in.read).isLessThan(64 * 1024);
    }

    @Test
    void aJsonNumberOfHundredsOfDigitsIsRefusedNamingItsItemAndField() {
        BodyException e = jsonFails("[{\"schoolId\":\"S\"},{\"schoolId\":\"S\",\"enrolled\":" + "9".repeat(400_000) + "}]");
        assertThat(e.index()).isEqualTo(1);
        assertThat(e.field()).isEqualTo("enrolled");
        assertThat(e.getMessage()).startsWith("item 1 breaks a limit of submitted JSON").hasSizeLessThan(400)
                .doesNotContain("9".repeat(101));
    }

    @Test
    void jsonLimitsOnStringsNamesNestingAndValues() {
        assertThat(jsonFails("{\"name\":\"" + "x".repeat(10_001) + "\"}").getMessage())
                .startsWith("the body breaks a limit").hasSizeLessThan(400);
        assertThat(jsonFails("{\"" + "n".repeat(101) + "\":1}").getMessage()).startsWith("the body breaks a limit");
        assertThat(jsonFails("[" + "[".repeat(10) + "]".repeat(10) + "]").getMessage()).contains("breaks a limit");
        StringBuilder many = new StringBuilder("[{},{\"members\":[");
        for (int i = 0; i < 5_000; i++) {
            many.append(i == 0 ? "" : ",").append('"').append(i).append('"');
        }
        BodyException values = jsonFails(many.append("]}]").toString());
        assertThat(values.index()).isEqualTo(1);
        assertThat(values.getMessage()).isEqualTo("item 1 has more than 5000 values (fields and array elements)");
    }

    @Test
    void malformedJsonIsNamedShortly() throws BodyException {
        assertThat(jsonFails("").getMessage()).isEqualTo("the body is empty");
        assertThat(jsonFails("{} {}").getMessage()).contains("content after the end");
        assertThat(jsonFails("[{},{\"a\":1,\"a\":2}]").index()).isEqualTo(1);
        BodyException token = jsonFails("[" + "x".repeat(5_000) + "]");
        assertThat(token.getMessage()).startsWith("the body is not valid JSON (line 1, column").hasSizeLessThan(400);
        // What Jackson's own trees would be: numbers as numbers, a lone object as item 0.
        List<Item> one = Bodies.json("{\"a\":1,\"b\":12345678901,\"c\":1.5,\"d\":[true,null],\"e\":123456789012345678901}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(one).hasSize(1);
        assertThat(one.get(0).index()).isZero();
        assertThat(one.get(0).node().toString())
                .isEqualTo("{\"a\":1,\"b\":12345678901,\"c\":1.5,\"d\":[true,null],\"e\":123456789012345678901}");
    }

    @Test
    void messagesQuoteAtMost100CharactersOfAValue() {
        assertThat(Quote.of("x".repeat(100))).isEqualTo("x".repeat(100));
        assertThat(Quote.of("x".repeat(101))).isEqualTo("x".repeat(100) + "…");
        assertThat(Quote.of("x".repeat(99) + "😀")).isEqualTo("x".repeat(99) + "…");
        String longText = "2024-" + "1".repeat(490);
        Checked checked = Validation.reports(ReportType.COMPLETION, List.of(new Item(0, io.schoolstats.report.Json.MAPPER
                .createObjectNode().put("schoolId", "S").put("schoolYear", longText).put("level", longText)
                .put("assessed", "1".repeat(5_000)).put("completed", 1))),
                io.schoolstats.report.Received.unknown(), code -> true);
        assertThat(checked.rejected()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.violation().message()).hasSizeLessThan(300);
            assertThat(r.violation().message(Locale.forLanguageTag("vi"))).hasSizeLessThan(300);
        });
    }

    /** Counts what a reader takes from a body. */
    private static final class CountingInput extends InputStream {
        private final ByteArrayInputStream in;
        long read;

        CountingInput(byte[] body) {
            this.in = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            int b = in.read();
            read += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = in.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }
    }
}

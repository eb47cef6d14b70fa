package io.schoolstats.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.report.Json;
import io.schoolstats.report.Quote;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a submitted body into items: a JSON object, a JSON array, or CSV as spreadsheets export
 * it (UTF-8 with or without a byte-order mark, comma or semicolon separators, quoted fields, a
 * header row of field names; {@code band_0_1} … {@code band_9_10} and {@code award_first} …
 * columns for scoreBands and awards). The same reader serves HTTP and the push command.
 *
 * <p>A body is read as it streams, one item at a time, and every limit below is checked before
 * what it bounds is kept: a hostile body costs a bounded amount of memory and time, and is
 * refused with a short message that names the item (or line) and field at fault.
 */
public final class Bodies {
    /** Most columns a CSV may have (CONTRACT section 4). */
    public static final int MAX_CSV_COLUMNS = 200;
    /** Most characters in one CSV cell (CONTRACT section 4). */
    public static final int MAX_CSV_CELL = 1000;
    /**
     * Longest number, in characters (JSON or a CSV count): a count has at most 10 digits; a
     * longer number is refused before it is turned into one.
     */
    public static final int MAX_NUMBER_LENGTH = 100;
    /** Longest JSON string value (names of units are at most 500 characters). */
    public static final int MAX_STRING_LENGTH = 10_000;
    /** Longest JSON field name. */
    public static final int MAX_NAME_LENGTH = 100;
    /** Deepest JSON nesting, the body's own array included (a report nests 3 deep). */
    public static final int MAX_DEPTH = 10;
    /** Most JSON values (fields and array elements, nested ones included) in one item. */
    public static final int MAX_ITEM_VALUES = 5_000;

    /** Columns read as numbers; every other column is text. */
    private static final Set<String> COUNT_COLUMNS = Set.of("enrolled", "present", "assessed", "completed",
            "conductGood", "candidates", "passed", "revision");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?\\d{1,10}(\\.\\d{1,10})?");
    private static final Pattern BAND = Pattern.compile("band_(\\d)_(\\d{1,2})");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[\\s,;]+");
    /** Characters of the first line looked at to tell the separator. */
    private static final int SNIFF = 1 << 16;
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();
    /** Submitted JSON: strict (duplicate fields are malformed) and bounded (see the limits above). */
    private static final JsonFactory SUBMITTED = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxStringLength(MAX_STRING_LENGTH).maxNameLength(MAX_NAME_LENGTH).maxNestingDepth(MAX_DEPTH)
                    .build())
            .errorReportConfiguration(Json.quoting())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    private Bodies() {
    }

    /** True for a CSV content type or file name. */
    public static boolean isCsv(String contentTypeOrName) {
        String s = contentTypeOrName == null ? "" : contentTypeOrName.toLowerCase(java.util.Locale.ROOT);
        return s.startsWith("text/csv") || s.startsWith("application/csv") || s.endsWith(".csv");
    }

    /** Every item of a JSON body (a file: no limit on their number). */
    public static List<Item> json(byte[] body) throws BodyException {
        return all(() -> json(new ByteArrayInputStream(body)));
    }

    /** Every row of a CSV body (a file: no limit on their number). */
    public static List<Item> csv(byte[] body, boolean reference) throws BodyException {
        return all(() -> csv(new ByteArrayInputStream(body), reference));
    }

    /**
     * The items of a JSON body as it streams: an object is item 0, an array's elements are items
     * 0, 1, …; the stream does not close {@code in}.
     */
    public static ItemStream json(InputStream in) throws IOException {
        return new JsonItems(SUBMITTED.createParser(in));
    }

    /**
     * The rows of a CSV body as it streams, each a JSON object whose index is its line (the header
     * is line 1); {@code reference} reads every column as text (members as a list). Reads the
     * header row at once.
     */
    public static ItemStream csv(InputStream in, boolean reference) throws BodyException, IOException {
        try {
            BufferedReader text = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), SNIFF);
            text.mark(1);
            if (text.read() != '\uFEFF') {
                text.reset();
            }
            CsvGuard guard = new CsvGuard(text, delimiter(text));
            CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(guard.delimiter()).setHeader()
                    .setSkipHeaderRecord(true).setIgnoreEmptyLines(true).setTrim(true).setAllowMissingColumnNames(false)
                    .get();
            CSVParser parser = CSVParser.parse(guard, format);
            List<String> columns = parser.getHeaderNames();
            if (columns.isEmpty()) {
                throw new BodyException("the CSV is empty: it needs a header row of field names",
                        "Tệp CSV trống: cần một dòng tiêu đề ghi tên các trường");
            }
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).length() > MAX_CSV_CELL) {
                    throw cellTooLong(1, "#" + (i + 1), columns.get(i));
                }
            }
            return new CsvItems(parser, guard, columns, reference);
        } catch (IOException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw csvFailure(e);
        }
    }

    /** The separator of a CSV: ';' when its first line has more of them than of ','. */
    private static char delimiter(BufferedReader text) throws IOException {
        text.mark(SNIFF + 1);
        int semicolons = 0;
        int commas = 0;
        for (int i = 0, c = text.read(); i < SNIFF && c >= 0 && c != '\n' && c != '\r'; i++, c = text.read()) {
            semicolons += c == ';' ? 1 : 0;
            commas += c == ',' ? 1 : 0;
        }
        text.reset();
        return semicolons > commas ? ';' : ',';
    }

    /** A CSV cell over the limit, in the words of every limit's message: where, and its start. */
    static BodyException cellTooLong(int line, String column, String cell) {
        String where = "line " + line + ", column '" + Quote.of(column) + "'";
        return new BodyException(line, column, where + ": a cell may have at most " + MAX_CSV_CELL
                + " characters; this one starts '" + Quote.of(cell) + "'",
                "Dòng " + line + ", cột '" + Quote.of(column) + "': mỗi ô tối đa " + MAX_CSV_CELL
                        + " ký tự; ô này bắt đầu bằng '" + Quote.of(cell) + "'");
    }

    /** What went wrong reading a CSV, as the client's fault, or the I/O failure itself (body too large, client gone). */
    private static BodyException csvFailure(Exception e) throws IOException {
        Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
        if (cause instanceof CsvGuard.Broken broken) {
            return broken.body;
        }
        if (cause instanceof CharacterCodingException) {
            return new BodyException("the CSV is not UTF-8: save it as \"CSV UTF-8\"",
                    "Tệp CSV không được mã hóa UTF-8: hãy lưu dưới dạng \"CSV UTF-8\"");
        }
        if (cause instanceof CSVException || cause instanceof IllegalArgumentException
                || cause instanceof IllegalStateException) {
            // The parser's messages may quote the whole header: quoted as any value is.
            return new BodyException("the CSV cannot be read: " + Quote.of(cause.getMessage()),
                    "Không đọc được tệp CSV: " + Quote.of(cause.getMessage()));
        }
        throw cause instanceof IOException io ? io : new IOException(cause);
    }

    private interface Opener {
        ItemStream open() throws BodyException, IOException;
    }

    private static List<Item> all(Opener opener) throws BodyException {
        List<Item> items = new ArrayList<>();
        try (ItemStream stream = opener.open()) {
            for (Item item = stream.next(); item != null; item = stream.next()) {
                items.add(item);
            }
        } catch (IOException e) {
            throw new BodyException("the body cannot be read: " + Quote.of(e.getMessage()), "Không đọc được nội dung gửi lên");
        }
        return items;
    }

    /** A JSON body, item by item: only the current item's tree is ever built. */
    private static final class JsonItems implements ItemStream {
        private final JsonParser parser;
        private boolean started;
        private boolean array;
        private boolean done;
        /** The index of the item being read. */
        private int index;
        private int values;

        JsonItems(JsonParser parser) {
            this.parser = parser;
        }

        @Override
        public Item next() throws BodyException, IOException {
            if (done) {
                return null;
            }
            try {
                JsonToken token = parser.nextToken();
                if (!started) {
                    started = true;
                    if (token == null) {
                        throw new BodyException("the body is empty", "Nội dung gửi lên trống");
                    }
                    if (token != JsonToken.START_ARRAY) {
                        Item single = new Item(0, item(token));
                        end();
                        return single;
                    }
                    array = true;
                    token = parser.nextToken();
                } else {
                    index++;
                }
                if (token == JsonToken.END_ARRAY) {
                    end();
                    return null;
                }
                return new Item(index, item(token));
            } catch (StreamConstraintsException e) {
                throw new BodyException(index, parser.currentName(), where() + " breaks a limit of submitted JSON "
                        + "(numbers at most " + MAX_NUMBER_LENGTH + " characters, strings " + MAX_STRING_LENGTH
                        + ", field names " + MAX_NAME_LENGTH + ", nesting " + MAX_DEPTH + " deep): " + e.getOriginalMessage(),
                        "Mục " + index + " vượt giới hạn của JSON gửi lên (số tối đa " + MAX_NUMBER_LENGTH
                                + " ký tự, chuỗi " + MAX_STRING_LENGTH + ", tên trường " + MAX_NAME_LENGTH
                                + ", lồng tối đa " + MAX_DEPTH + " cấp)");
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                String position = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
                throw new BodyException(array ? index : null, null, "the body is not valid JSON" + position + ": "
                        + e.getOriginalMessage(), "Nội dung gửi lên không phải JSON hợp lệ" + position + ": "
                        + e.getOriginalMessage());
            }
        }

        private String where() {
            return array ? "item " + index : "the body";
        }

        /** One item's tree, at most {@link #MAX_ITEM_VALUES} values. */
        private JsonNode item(JsonToken first) throws IOException, BodyException {
            values = 0;
            return value(first);
        }

        private JsonNode value(JsonToken token) throws IOException, BodyException {
            if (++values > MAX_ITEM_VALUES) {
                throw new BodyException(index, null, where() + " has more than " + MAX_ITEM_VALUES
                        + " values (fields and array elements)", "Mục " + index + " có hơn " + MAX_ITEM_VALUES + " giá trị");
            }
            if (token == null) {
                throw new BodyException(index, null, "the body ends inside " + where(), "Nội dung gửi lên bị cắt cụt");
            }
            switch (token) {
                case START_OBJECT -> {
                    ObjectNode object = NODES.objectNode();
                    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                        object.set(name, value(parser.nextToken()));
                    }
                    return object;
                }
                case START_ARRAY -> {
                    ArrayNode elements = NODES.arrayNode();
                    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                        elements.add(value(t));
                    }
                    return elements;
                }
                case VALUE_STRING -> {
                    return NODES.textNode(parser.getText());
                }
                case VALUE_NUMBER_INT -> {
                    return switch (parser.getNumberType()) {
                        case INT -> NODES.numberNode(parser.getIntValue());
                        case LONG -> NODES.numberNode(parser.getLongValue());
                        default -> NODES.numberNode(parser.getBigIntegerValue());
                    };
                }
                case VALUE_NUMBER_FLOAT -> {
                    return NODES.numberNode(parser.getDoubleValue()); // as Jackson's own trees read them
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
                }
                case VALUE_NULL -> {
                    return NODES.nullNode();
                }
                default -> throw new BodyException(index, null, "unexpected " + token + " in " + where(),
                        "Nội dung gửi lên không phải JSON hợp lệ");
            }
        }

        /** After the body's value: nothing but white space may follow. */
        private void end() throws IOException, BodyException {
            done = true;
            if (parser.nextToken() != null) {
                throw new BodyException("the body is not valid JSON: content after the end of its "
                        + (array ? "array" : "value"), "Nội dung gửi lên không phải JSON hợp lệ: có nội dung thừa ở cuối");
            }
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /** A CSV body, row by row. */
    private static final class CsvItems implements ItemStream {
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final CsvGuard guard;
        private final List<String> columns;
        private final boolean reference;

        CsvItems(CSVParser parser, CsvGuard guard, List<String> columns, boolean reference) {
            this.parser = parser;
            this.records = parser.iterator();
            this.guard = guard;
            this.columns = columns;
            this.reference = reference;
        }

        @Override
        public Item next() throws BodyException, IOException {
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                record = records.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw csvFailure(e);
            }
            int line = guard.lineOf(record.getCharacterPosition());
            for (int i = 0; i < record.size(); i++) {
                if (record.get(i).length() > MAX_CSV_CELL) {
                    throw cellTooLong(line, guard.column(i), record.get(i));
                }
            }
            return new Item(line, reference ? referenceRow(record) : reportRow(line, record));
        }

        private ObjectNode reportRow(int line, CSVRecord record) throws BodyException {
            ObjectNode node = NODES.objectNode();
            ArrayNode bands = null;
            ObjectNode awards = null;
            for (String column : columns) {
                String value = record.isSet(column) ? record.get(column) : "";
                if (value.isEmpty()) {
                    continue;
                }
                var band = BAND.matcher(column);
                if (band.matches()) {
                    if (bands == null) {
                        bands = NODES.arrayNode();
                        for (int i = 0; i < 10; i++) {
                            bands.addNull();
                        }
                    }
                    int index = Integer.parseInt(band.group(1));
                    bands.set(index, number(line, column, value));
                } else if (column.startsWith("award_")) {
                    if (awards == null) {
                        awards = NODES.objectNode();
                    }
                    awards.set(column.substring("award_".length()), number(line, column, value));
                } else if (COUNT_COLUMNS.contains(column)) {
                    node.set(column, number(line, column, value));
                } else if (column.equals("points") && DECIMAL.matcher(value).matches()) {
                    // An emulation score's points: a short decimal (18.5); anything else stays text.
                    node.set(column, NODES.numberNode(new java.math.BigDecimal(value)));
                } else {
                    node.put(column, value);
                }
            }
            if (bands != null) {
                node.set("scoreBands", bands);
            }
            if (awards != null) {
                node.set("awards", awards);
            }
            return node;
        }

        private ObjectNode referenceRow(CSVRecord record) {
            ObjectNode node = NODES.objectNode();
            for (String column : columns) {
                String value = record.isSet(column) ? record.get(column) : "";
                if (value.isEmpty()) {
                    continue;
                }
                if (column.equals("members")) {
                    ArrayNode members = node.putArray("members");
                    Arrays.stream(LIST_SEPARATOR.split(value)).filter(m -> !m.isEmpty()).forEach(members::add);
                } else {
                    node.put(column, value);
                }
            }
            return node;
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /**
     * An integer cell becomes a JSON number; anything else stays text, for the validator to name.
     * An integer too long to be a count is refused before it is turned into a number.
     */
    private static JsonNode number(int line, String column, String value) throws BodyException {
        if (!INTEGER.matcher(value).matches()) {
            return NODES.textNode(value);
        }
        if (value.length() > MAX_NUMBER_LENGTH) {
            throw new BodyException(line, column, "line " + line + ", column '" + Quote.of(column) + "': a number may have "
                    + "at most " + MAX_NUMBER_LENGTH + " digits; this one has " + value.length() + ": '" + Quote.of(value) + "'",
                    "Dòng " + line + ", cột '" + Quote.of(column) + "': số tối đa " + MAX_NUMBER_LENGTH + " chữ số; số này có "
                            + value.length() + ": '" + Quote.of(value) + "'");
        }
        return NODES.numberNode(new BigInteger(value.startsWith("+") ? value.substring(1) : value));
    }
}

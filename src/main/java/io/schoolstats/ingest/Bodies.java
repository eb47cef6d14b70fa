package io.schoolstats.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.report.Json;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a submitted body into items: a JSON object, a JSON array, or CSV as spreadsheets export
 * it (UTF-8 with or without a byte-order mark, comma or semicolon separators, quoted fields, a
 * header row of field names; {@code band_0_1} … {@code band_9_10} and {@code award_first} …
 * columns for scoreBands and awards). The same reader serves HTTP and the push command.
 */
public final class Bodies {
    /** Columns read as numbers; every other column is text. */
    private static final Set<String> COUNT_COLUMNS = Set.of("enrolled", "present", "assessed", "completed",
            "conductGood", "candidates", "passed", "revision");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern BAND = Pattern.compile("band_(\\d)_(\\d{1,2})");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[\\s,;]+");

    private Bodies() {
    }

    /** True for a CSV content type or file name. */
    public static boolean isCsv(String contentTypeOrName) {
        String s = contentTypeOrName == null ? "" : contentTypeOrName.toLowerCase(java.util.Locale.ROOT);
        return s.startsWith("text/csv") || s.startsWith("application/csv") || s.endsWith(".csv");
    }

    public static List<Item> json(byte[] body) throws BodyException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new BodyException("the body is not valid JSON: " + e.getOriginalMessage(),
                    "Nội dung gửi lên không phải JSON hợp lệ: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BodyException("the body cannot be read: " + e.getMessage(), "Không đọc được nội dung gửi lên");
        }
        if (root == null || root.isMissingNode()) {
            throw new BodyException("the body is empty", "Nội dung gửi lên trống");
        }
        List<Item> items = new ArrayList<>();
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                items.add(new Item(i, root.get(i)));
            }
        } else {
            items.add(new Item(0, root));
        }
        return items;
    }

    /** CSV rows as JSON objects; {@code reference} reads every column as text (members as a list). */
    public static List<Item> csv(byte[] body, boolean reference) throws BodyException {
        String text = utf8(body);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new BodyException("the CSV is empty: it needs a header row of field names",
                    "Tệp CSV trống: cần một dòng tiêu đề ghi tên các trường");
        }
        int firstLineEnd = text.indexOf('\n') < 0 ? text.length() : text.indexOf('\n');
        String header = text.substring(0, firstLineEnd);
        char delimiter = count(header, ';') > count(header, ',') ? ';' : ',';
        int[] lineStarts = lineStarts(text);
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).setTrim(true).setAllowMissingColumnNames(false).get();
        List<Item> items = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            List<String> columns = parser.getHeaderNames();
            for (CSVRecord record : parser) {
                int line = lineOf(lineStarts, record.getCharacterPosition());
                items.add(new Item(line, reference ? referenceRow(columns, record) : reportRow(columns, record)));
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new BodyException("the CSV cannot be read: " + e.getMessage(), "Không đọc được tệp CSV: " + e.getMessage());
        }
        return items;
    }

    private static ObjectNode reportRow(List<String> columns, CSVRecord record) {
        ObjectNode node = Json.MAPPER.createObjectNode();
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
                    bands = Json.MAPPER.createArrayNode();
                    for (int i = 0; i < 10; i++) {
                        bands.addNull();
                    }
                }
                int index = Integer.parseInt(band.group(1));
                bands.set(index, number(value));
            } else if (column.startsWith("award_")) {
                if (awards == null) {
                    awards = Json.MAPPER.createObjectNode();
                }
                awards.set(column.substring("award_".length()), number(value));
            } else if (COUNT_COLUMNS.contains(column)) {
                node.set(column, number(value));
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

    private static ObjectNode referenceRow(List<String> columns, CSVRecord record) {
        ObjectNode node = Json.MAPPER.createObjectNode();
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

    /** An integer cell becomes a JSON number; anything else stays text, for the validator to name. */
    private static JsonNode number(String value) {
        if (INTEGER.matcher(value).matches()) {
            return Json.MAPPER.getNodeFactory().numberNode(new BigInteger(value.startsWith("+") ? value.substring(1) : value));
        }
        return Json.MAPPER.getNodeFactory().textNode(value);
    }

    private static String utf8(byte[] body) throws BodyException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new BodyException("the CSV is not UTF-8: save it as \"CSV UTF-8\"",
                    "Tệp CSV không được mã hóa UTF-8: hãy lưu dưới dạng \"CSV UTF-8\"");
        }
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** 1-based line number of a character position (the header is line 1). */
    private static int lineOf(int[] lineStarts, long position) {
        int i = Arrays.binarySearch(lineStarts, (int) position);
        return (i >= 0 ? i : -i - 2) + 1;
    }
}

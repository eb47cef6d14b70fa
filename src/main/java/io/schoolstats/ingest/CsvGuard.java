package io.schoolstats.ingest;

import io.schoolstats.report.Quote;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The characters of a CSV on their way to the parser, checked as they pass: a record of more
 * than {@link Bodies#MAX_CSV_COLUMNS} cells, or a cell far longer than
 * {@link Bodies#MAX_CSV_CELL} characters, stops the reading before the parser has buffered it
 * (it builds a whole record, and a whole cell, before handing either over). It follows quoting as
 * the parser does (a quote opens a cell only as its first character; {@code ""} inside is one
 * quote), and remembers where records start so that a record's line can be named.
 */
final class CsvGuard extends Reader {
    /** Raw characters a cell may take: its limit with every character an escaped quote, and its own quotes. */
    private static final int MAX_RAW_CELL = 2 * Bodies.MAX_CSV_CELL + 2;

    private final Reader in;
    private final char delimiter;
    /** The header's names (its first record's cells, trimmed, at most {@link Quote#MAX_CHARS} characters each). */
    private final List<String> header = new ArrayList<>();
    private boolean inHeader = true;
    /** Characters passed on so far: the position of the next one. */
    private long position;
    /** The physical line (1-based) of the next character. */
    private int line = 1;
    /** Characters of the current line outside line ends: none means an empty line, which is no record. */
    private int lineLength;
    private int cells = 1;
    private int cellLength;
    /** The current cell's text as the parser will read it, up to {@link Quote#MAX_CHARS} characters. */
    private final StringBuilder cellText = new StringBuilder();
    private boolean atCellStart = true;
    private boolean quoted;
    private boolean quotePending;
    private boolean afterCr;
    private boolean startAddedAtCr;
    /**
     * Where the records read ahead of the parser start, {position, line}: the position the parser
     * gives a record (the end of the one before: empty lines in between are skipped within it)
     * and the line its first cell is on.
     */
    private final ArrayDeque<long[]> recordStarts = new ArrayDeque<>();
    private long[] current = {0, 1};

    CsvGuard(Reader in, char delimiter) {
        this.in = in;
        this.delimiter = delimiter;
        recordStarts.add(current);
    }

    char delimiter() {
        return delimiter;
    }

    /** The line (1-based, the header is line 1) of the record the parser read from this character position. */
    int lineOf(long recordPosition) {
        while (!recordStarts.isEmpty() && recordStarts.peekFirst()[0] <= recordPosition) {
            current = recordStarts.pollFirst();
        }
        return (int) current[1];
    }

    /** The column name of a cell of a record (0-based), for messages. */
    String column(int cell) {
        return cell < header.size() ? header.get(cell) : "#" + (cell + 1);
    }

    /** A limit broken while reading: the parser passes it on as an I/O failure; {@link #body} says what. */
    static final class Broken extends IOException {
        private static final long serialVersionUID = 1L;
        final transient BodyException body;

        Broken(BodyException body) {
            super(body.getMessage());
            this.body = body;
        }
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        for (int i = offset; i < offset + Math.max(n, 0); i++) {
            step(buffer[i]);
            position++;
        }
        return n;
    }

    private void step(char c) throws Broken {
        if (quoted) {
            if (!quotePending) {
                if (c == '"') {
                    quotePending = true;
                    cellLength++;
                } else {
                    if (c == '\n' && !afterCr || c == '\r') {
                        line++;
                    }
                    content(c);
                }
                afterCr = c == '\r';
                return;
            }
            quotePending = false;
            if (c == '"') { // an escaped quote: still inside
                content(c);
                return;
            }
            quoted = false; // that quote closed the cell: c is outside it
        }
        if (c == '\n' || c == '\r') {
            endOfLine(c);
        } else if (c == delimiter) {
            endOfCell();
            cells++;
            if (cells > Bodies.MAX_CSV_COLUMNS) {
                throw new Broken(tooManyCells());
            }
            lineLength++;
        } else {
            lineLength++;
            if (atCellStart && c == '"') {
                quoted = true;
                cellLength++;
            } else {
                content(c);
            }
            atCellStart = false;
        }
        afterCr = c == '\r';
    }

    private void endOfLine(char c) {
        if (c == '\n' && afterCr) { // \r\n: one line end
            if (startAddedAtCr) {
                recordStarts.peekLast()[0] = position + 1;
            }
            startAddedAtCr = false;
            return;
        }
        line++;
        long[] last = recordStarts.peekLast();
        if (lineLength == 0 && last != null) {
            last[1] = line; // an empty line: the record to come starts where it was to, on a later line
            startAddedAtCr = false;
        } else {
            endOfCell();
            inHeader = false;
            recordStarts.addLast(new long[] {position + 1, line});
            startAddedAtCr = c == '\r';
        }
        lineLength = 0;
        cells = 1;
        newCell();
    }

    private void endOfCell() {
        if (inHeader) {
            header.add(cellText.toString().trim());
        }
        newCell();
    }

    private void newCell() {
        cellLength = 0;
        cellText.setLength(0);
        atCellStart = true;
    }

    private void content(char c) throws Broken {
        lineLength++;
        cellLength++;
        if (cellText.length() < Quote.MAX_CHARS) {
            cellText.append(c);
        }
        if (cellLength > MAX_RAW_CELL) {
            throw new Broken(Bodies.cellTooLong(recordLine(), column(cells - 1), cellText + "…"));
        }
    }

    /** The line the current record started on. */
    private int recordLine() {
        long[] last = recordStarts.peekLast();
        return (int) (last == null ? current : last)[1];
    }

    private BodyException tooManyCells() {
        int at = recordLine();
        if (inHeader) {
            return new BodyException(at, null, "the CSV has more than " + Bodies.MAX_CSV_COLUMNS
                    + " columns: at most " + Bodies.MAX_CSV_COLUMNS + " are read",
                    "Tệp CSV có hơn " + Bodies.MAX_CSV_COLUMNS + " cột: tối đa " + Bodies.MAX_CSV_COLUMNS + " cột");
        }
        return new BodyException(at, null, "line " + at + " has more than " + Bodies.MAX_CSV_COLUMNS
                + " cells: at most " + Bodies.MAX_CSV_COLUMNS + " columns are read",
                "Dòng " + at + " có hơn " + Bodies.MAX_CSV_COLUMNS + " ô: tối đa " + Bodies.MAX_CSV_COLUMNS + " cột");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

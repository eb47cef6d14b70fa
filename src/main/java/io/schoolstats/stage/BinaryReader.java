package io.schoolstats.stage;

import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link BinaryWriter} wrote: the encoding of {@link java.io.DataInput} (big-endian
 * numbers, modified UTF-8 strings), straight from an array. {@code DataInputStream} over a
 * {@code ByteArrayInputStream} took a synchronized call per byte and two buffers per record: a
 * tenth of a stream thread in the benchmark, which reads every record between stages this way.
 */
final class BinaryReader {
    private final byte[] data;
    private int position;

    BinaryReader(byte[] data) {
        this.data = data;
    }

    int available() {
        return data.length - position;
    }

    byte readByte() throws IOException {
        need(1);
        return data[position++];
    }

    boolean readBoolean() throws IOException {
        return readByte() != 0;
    }

    int readInt() throws IOException {
        need(4);
        int value = (data[position] & 0xff) << 24 | (data[position + 1] & 0xff) << 16
                | (data[position + 2] & 0xff) << 8 | (data[position + 3] & 0xff);
        position += 4;
        return value;
    }

    long readLong() throws IOException {
        need(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (data[position + i] & 0xff);
        }
        position += 8;
        return value;
    }

    double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    /** A string as {@link java.io.DataInput#readUTF()} reads it. */
    String readUTF() throws IOException {
        need(2);
        int length = (data[position] & 0xff) << 8 | (data[position + 1] & 0xff);
        position += 2;
        need(length);
        int start = position;
        int end = start + length;
        boolean ascii = true;
        for (int i = start; i < end && ascii; i++) {
            ascii = data[i] > 0;
        }
        position = end;
        if (ascii) {
            return new String(data, start, length, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[length];
        int n = 0;
        for (int i = start; i < end; ) {
            int c = data[i] & 0xff;
            switch (c >> 4) {
                case 0, 1, 2, 3, 4, 5, 6, 7 -> {
                    chars[n++] = (char) c;
                    i++;
                }
                case 12, 13 -> {
                    if (i + 2 > end || (data[i + 1] & 0xc0) != 0x80) {
                        throw new UTFDataFormatException("malformed input around byte " + (i - start));
                    }
                    chars[n++] = (char) ((c & 0x1f) << 6 | (data[i + 1] & 0x3f));
                    i += 2;
                }
                case 14 -> {
                    if (i + 3 > end || (data[i + 1] & 0xc0) != 0x80 || (data[i + 2] & 0xc0) != 0x80) {
                        throw new UTFDataFormatException("malformed input around byte " + (i - start));
                    }
                    chars[n++] = (char) ((c & 0x0f) << 12 | (data[i + 1] & 0x3f) << 6 | (data[i + 2] & 0x3f));
                    i += 3;
                }
                default -> throw new UTFDataFormatException("malformed input around byte " + (i - start));
            }
        }
        return new String(chars, 0, n);
    }

    private void need(int bytes) throws EOFException {
        if (bytes > data.length - position) {
            throw new EOFException("a record ends " + (bytes - (data.length - position)) + " bytes early");
        }
    }
}

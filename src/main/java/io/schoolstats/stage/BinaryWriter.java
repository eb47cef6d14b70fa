package io.schoolstats.stage;

import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.Arrays;

/**
 * Writes the encoding of {@link java.io.DataOutput} (big-endian numbers, modified UTF-8 strings)
 * into an array that grows: what {@code DataOutputStream} over a {@code ByteArrayOutputStream}
 * wrote, byte for byte, without a synchronized call per byte ({@link BinaryReader} says why).
 */
final class BinaryWriter {
    private byte[] data = new byte[64];
    private int size;

    void writeByte(int value) {
        ensure(1);
        data[size++] = (byte) value;
    }

    void writeBoolean(boolean value) {
        writeByte(value ? 1 : 0);
    }

    void writeInt(int value) {
        ensure(4);
        data[size] = (byte) (value >>> 24);
        data[size + 1] = (byte) (value >>> 16);
        data[size + 2] = (byte) (value >>> 8);
        data[size + 3] = (byte) value;
        size += 4;
    }

    void writeLong(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            data[size + i] = (byte) (value >>> (56 - 8 * i));
        }
        size += 8;
    }

    void writeDouble(double value) {
        writeLong(Double.doubleToLongBits(value));
    }

    /** A string as {@link java.io.DataOutput#writeUTF(String)} writes it; longer than 65,535 bytes is refused. */
    void writeUTF(String text) throws IOException {
        int chars = text.length();
        int length = 0;
        // Stops counting past the limit: a huge string is refused without overflowing the count.
        for (int i = 0; i < chars && length <= 0xffff; i++) {
            char c = text.charAt(i);
            length += c >= 0x0001 && c <= 0x007f ? 1 : c <= 0x07ff ? 2 : 3;
        }
        if (length > 0xffff) {
            throw new UTFDataFormatException("a string of " + length + " bytes in modified UTF-8, more than 65,535");
        }
        ensure(2 + length);
        data[size++] = (byte) (length >>> 8);
        data[size++] = (byte) length;
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(i);
            if (c >= 0x0001 && c <= 0x007f) {
                data[size++] = (byte) c;
            } else if (c <= 0x07ff) {
                data[size++] = (byte) (0xc0 | c >> 6 & 0x1f);
                data[size++] = (byte) (0x80 | c & 0x3f);
            } else {
                data[size++] = (byte) (0xe0 | c >> 12 & 0x0f);
                data[size++] = (byte) (0x80 | c >> 6 & 0x3f);
                data[size++] = (byte) (0x80 | c & 0x3f);
            }
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(data, size);
    }

    private void ensure(int bytes) {
        if (bytes > data.length - size) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + bytes));
        }
    }
}

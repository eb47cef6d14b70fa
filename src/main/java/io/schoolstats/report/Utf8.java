package io.schoolstats.report;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Bounded views of bytes that may or may not be UTF-8 (what came from outside). */
public final class Utf8 {
    private Utf8() {
    }

    /** At most {@code max} bytes from the start, cut between characters if the bytes are UTF-8. */
    public static byte[] prefix(byte[] bytes, int max) {
        if (bytes.length <= max) {
            return bytes;
        }
        int cut = max;
        // Step back over at most 3 continuation bytes (10xxxxxx) to the start of a character.
        while (cut > 0 && max - cut < 3 && (bytes[cut] & 0xC0) == 0x80) {
            cut--;
        }
        return Arrays.copyOf(bytes, (bytes[cut] & 0xC0) == 0x80 ? max : cut);
    }

    /** The bytes as text when they are valid UTF-8, else null. */
    public static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

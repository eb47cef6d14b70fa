package io.schoolstats.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.UTFDataFormatException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The internal records' writer and reader keep the encoding of DataOutput and DataInput, byte for byte. */
class BinaryCodingTest {
    private static final String[] STRINGS = {"", "HN-001-TH-01", "attendance|2025-2026|2025-09-05",
            "Quận Hoàng Mai", "Trường Tiểu học Nguyễn Trãi", "nul\u0000inside", "emoji \uD83D\uDE00 pair",
            "lone \uD800 surrogate", "\u07ff\u0800\uffff"};

    @Test
    void writesWhatDataOutputStreamWritesAndReadsItBack() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 500; round++) {
            BinaryWriter mine = new BinaryWriter();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream theirs = new DataOutputStream(bytes);
            Object[] written = new Object[20];
            for (int i = 0; i < written.length; i++) {
                switch (random.nextInt(6)) {
                    case 0 -> {
                        byte b = (byte) random.nextInt();
                        mine.writeByte(b);
                        theirs.writeByte(b);
                        written[i] = b;
                    }
                    case 1 -> {
                        boolean b = random.nextBoolean();
                        mine.writeBoolean(b);
                        theirs.writeBoolean(b);
                        written[i] = b;
                    }
                    case 2 -> {
                        int n = random.nextInt();
                        mine.writeInt(n);
                        theirs.writeInt(n);
                        written[i] = n;
                    }
                    case 3 -> {
                        long n = random.nextLong();
                        mine.writeLong(n);
                        theirs.writeLong(n);
                        written[i] = n;
                    }
                    case 4 -> {
                        double d = random.nextGaussian() * 1e6;
                        mine.writeDouble(d);
                        theirs.writeDouble(d);
                        written[i] = d;
                    }
                    default -> {
                        String s = random.nextInt(4) == 0 ? randomString(random) : STRINGS[random.nextInt(STRINGS.length)];
                        mine.writeUTF(s);
                        theirs.writeUTF(s);
                        written[i] = s;
                    }
                }
            }
            byte[] data = mine.toByteArray();
            assertThat(data).isEqualTo(bytes.toByteArray());

            BinaryReader in = new BinaryReader(data);
            DataInputStream theirsIn = new DataInputStream(new ByteArrayInputStream(data));
            for (Object value : written) {
                if (value instanceof Byte) {
                    assertThat(in.readByte()).isEqualTo(value).isEqualTo(theirsIn.readByte());
                } else if (value instanceof Boolean) {
                    assertThat(in.readBoolean()).isEqualTo(value).isEqualTo(theirsIn.readBoolean());
                } else if (value instanceof Integer) {
                    assertThat(in.readInt()).isEqualTo(value).isEqualTo(theirsIn.readInt());
                } else if (value instanceof Long) {
                    assertThat(in.readLong()).isEqualTo(value).isEqualTo(theirsIn.readLong());
                } else if (value instanceof Double) {
                    assertThat(in.readDouble()).isEqualTo(value).isEqualTo(theirsIn.readDouble());
                } else {
                    assertThat(in.readUTF()).isEqualTo(value).isEqualTo(theirsIn.readUTF());
                }
            }
            assertThat(in.available()).isZero();
        }
    }

    @Test
    void aShortOrMalformedRecordIsRefused() throws Exception {
        BinaryWriter out = new BinaryWriter();
        out.writeUTF("Quận Hoàng Mai");
        out.writeLong(42);
        byte[] data = out.toByteArray();
        assertThatThrownBy(() -> {
            BinaryReader in = new BinaryReader(Arrays.copyOf(data, data.length - 1));
            in.readUTF();
            in.readLong();
        }).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> new BinaryReader(Arrays.copyOf(data, 5)).readUTF()).isInstanceOf(EOFException.class);

        byte[] malformed = data.clone();
        malformed[2 + 4] = (byte) 0xff; // inside "Quận": a byte no modified UTF-8 has
        assertThatThrownBy(() -> new BinaryReader(malformed).readUTF()).isInstanceOf(UTFDataFormatException.class);
        assertThatThrownBy(() -> new DataInputStream(new ByteArrayInputStream(malformed)).readUTF())
                .isInstanceOf(UTFDataFormatException.class);
    }

    @Test
    void aStringOfExactly65535BytesIsWrittenAndOneByteMoreIsRefused() throws Exception {
        String longest = "ậ".repeat(21_845); // 3 bytes each: 65,535
        BinaryWriter mine = new BinaryWriter();
        mine.writeUTF(longest);
        ByteArrayOutputStream theirs = new ByteArrayOutputStream();
        new DataOutputStream(theirs).writeUTF(longest);
        assertThat(mine.toByteArray()).isEqualTo(theirs.toByteArray());
        assertThat(new BinaryReader(mine.toByteArray()).readUTF()).isEqualTo(longest);
        assertThatThrownBy(() -> new BinaryWriter().writeUTF(longest + "a")).isInstanceOf(UTFDataFormatException.class);
    }

    @Test
    void aStringTooLongForItsLengthFieldIsRefusedAsDataOutputDoes() {
        String tooLong = "ậ".repeat(30_000); // 90,000 bytes
        assertThatThrownBy(() -> new BinaryWriter().writeUTF(tooLong)).isInstanceOf(UTFDataFormatException.class);
        assertThatThrownBy(() -> new DataOutputStream(new ByteArrayOutputStream()).writeUTF(tooLong))
                .isInstanceOf(UTFDataFormatException.class);
    }

    private static String randomString(Random random) {
        char[] chars = new char[random.nextInt(40)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) random.nextInt(Character.MAX_VALUE + 1);
        }
        return new String(chars);
    }
}

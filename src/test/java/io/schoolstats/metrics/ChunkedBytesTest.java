package io.schoolstats.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkedBytesTest {
    @Test
    void keepsEveryByteInOrderInChunksNoLargerThanTheLimit() {
        ChunkedBytes out = new ChunkedBytes();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] piece = new byte[random.nextInt(3 * ChunkedBytes.MAX_CHUNK / 2)];
            random.nextBytes(piece);
            int offset = piece.length == 0 ? 0 : random.nextInt(piece.length);
            out.write(piece, offset, piece.length - offset);
            expected.write(piece, offset, piece.length - offset);
            out.write(i);
            expected.write(i);
            out.write(("Quận Hà Đông " + i).getBytes(StandardCharsets.UTF_8));
            out.ascii("=" + i);
            expected.writeBytes(("Quận Hà Đông " + i + "=" + i).getBytes(StandardCharsets.UTF_8));
        }

        List<byte[]> chunks = out.chunks();
        assertThat(chunks).allSatisfy(c -> assertThat(c.length).isBetween(1, ChunkedBytes.MAX_CHUNK));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        chunks.forEach(joined::writeBytes);
        assertThat(joined.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(new TextPart(chunks).asString()).isEqualTo(expected.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writingOnAfterTakingTheChunksChangesNoChunkTaken() {
        ChunkedBytes out = new ChunkedBytes();
        out.write(new byte[ChunkedBytes.MAX_CHUNK * 3 + 10]); // zeros: the last chunk is partly filled
        List<byte[]> taken = out.chunks();
        byte[] ones = new byte[ChunkedBytes.MAX_CHUNK * 2];
        java.util.Arrays.fill(ones, (byte) 1);
        out.write(ones);
        assertThat(taken).allSatisfy(c -> assertThat(c).containsOnly((byte) 0));
        assertThat(out.chunks().stream().mapToInt(c -> c.length).sum()).isEqualTo(ChunkedBytes.MAX_CHUNK * 5 + 10);
    }

    @Test
    void nothingWrittenIsNoChunk() {
        assertThat(new ChunkedBytes().chunks()).isEmpty();
    }
}

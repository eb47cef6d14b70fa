package io.schoolstats.stage;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Count vectors in stores: 8 bytes a count, no framing (the length follows from the size). */
public final class CountsSerde implements Serde<long[]> {
    @Override
    public Serializer<long[]> serializer() {
        return (topic, counts) -> {
            if (counts == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(counts.length * Long.BYTES);
            for (long c : counts) {
                buffer.putLong(c);
            }
            return buffer.array();
        };
    }

    @Override
    public Deserializer<long[]> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long[] counts = new long[bytes.length / Long.BYTES];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = buffer.getLong();
            }
            return counts;
        };
    }
}

package io.schoolstats.stage;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Count vectors in stores: the format version of {@link InternalCodec}, then 8 bytes a count (the
 * length follows from the size). State of another format is refused, not misread.
 */
public final class CountsSerde implements Serde<long[]> {
    @Override
    public Serializer<long[]> serializer() {
        return (topic, counts) -> {
            if (counts == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(1 + counts.length * Long.BYTES);
            buffer.put(InternalCodec.VERSION);
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
            if (bytes.length % Long.BYTES != 1 || bytes[0] != InternalCodec.VERSION) {
                throw new SerializationException("counts of " + topic + " are not of format version "
                        + InternalCodec.VERSION + " (" + bytes.length + " bytes): rebuild the state (README, Upgrading)");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            long[] counts = new long[bytes.length / Long.BYTES];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = buffer.getLong();
            }
            return counts;
        };
    }
}

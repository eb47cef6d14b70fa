package io.schoolstats.topology;

import io.schoolstats.contract.Topics;
import io.schoolstats.report.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when the broker refuses a record the stream writes. An envelope on
 * {@code reports.rejected} that cannot be written (too large for the topic's limit, say) is
 * replaced by a minimal one naming the source record, so that the rejection stays visible and the
 * thread goes on: failing would replace the thread, which would meet the same record again, for
 * ever. Any other refused record fails the task as before: dropping an aggregate's record would
 * leave figures wrong for good, and a retry after the outage is right.
 */
public final class RejectedRecordHandler implements ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RejectedRecordHandler.class);

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (!Topics.REJECTED.name().equals(record.topic()) || exception instanceof RetriableException) {
            return Response.fail();
        }
        LOG.warn("an envelope of {} bytes for {}-{}@{} could not be written ({}); writing a minimal one instead",
                record.value() == null ? 0 : record.value().length, context.topic(), context.partition(),
                context.offset(), exception.toString());
        byte[] key = record.key() != null && record.key().length <= Rejections.KEY_PREFIX_BYTES ? record.key() : null;
        return Response.resume(List.of(new ProducerRecord<>(Topics.REJECTED.name(), null, key,
                minimal(context, exception))));
    }

    static byte[] minimal(ErrorHandlerContext context, Exception exception) {
        var root = Json.MAPPER.createObjectNode();
        root.put("reason", "envelope_not_written");
        root.put("message", "the record was rejected but its envelope could not be written: "
                + exception.getClass().getSimpleName() + "; read the record at its topic, partition and offset");
        root.put("sourceTopic", context.topic());
        root.put("partition", context.partition());
        root.put("offset", context.offset());
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}

package io.schoolstats.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.schoolstats.report.Json;
import java.lang.reflect.Proxy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.junit.jupiter.api.Test;

class RejectedRecordHandlerTest {
    private final RejectedRecordHandler handler = new RejectedRecordHandler();

    /** The context of a record read from reports.attendance, partition 2, offset 41. */
    private static ErrorHandlerContext context() {
        return (ErrorHandlerContext) Proxy.newProxyInstance(RejectedRecordHandlerTest.class.getClassLoader(),
                new Class<?>[] {ErrorHandlerContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "topic" -> "reports.attendance";
                    case "partition" -> 2;
                    case "offset" -> 41L;
                    default -> null;
                });
    }

    @Test
    void anEnvelopeTheBrokerRefusesIsReplacedByAMinimalOneAndTheThreadGoesOn() throws Exception {
        var refused = new ProducerRecord<>("reports.rejected", "k".getBytes(), new byte[2_000_000]);
        var response = handler.handleError(context(), refused, new RecordTooLargeException("too large"));

        assertThat(response.result()).isEqualTo(Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        var replacement = response.deadLetterQueueRecords().get(0);
        assertThat(replacement.topic()).isEqualTo("reports.rejected");
        assertThat(replacement.value().length).isLessThan(1_000);
        var envelope = Json.MAPPER.readTree(replacement.value());
        assertThat(envelope.get("reason").asText()).isEqualTo("envelope_not_written");
        assertThat(envelope.get("sourceTopic").asText()).isEqualTo("reports.attendance");
        assertThat(envelope.get("partition").asInt()).isEqualTo(2);
        assertThat(envelope.get("offset").asLong()).isEqualTo(41);
    }

    @Test
    void anyOtherRefusedRecordFailsTheTaskSoThatNoFigureIsLeftWrong() {
        var aggregate = new ProducerRecord<>("stats.district", "k".getBytes(), new byte[10]);
        assertThat(handler.handleError(context(), aggregate, new RecordTooLargeException("x")).result())
                .isEqualTo(Result.FAIL);
        var envelope = new ProducerRecord<>("reports.rejected", "k".getBytes(), new byte[10]);
        assertThat(handler.handleError(context(), envelope, new TimeoutException("x")).result()).isEqualTo(Result.FAIL);
    }
}

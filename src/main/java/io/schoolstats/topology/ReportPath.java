package io.schoolstats.topology;

import io.schoolstats.stage.SchoolInput;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Lets through the valid reports of one path to the school stage: the direct path, for a report
 * read from the partition that owns its school (keyed by its school id), or the repartition,
 * for every other one.
 *
 * <p>The direct path is exact because a task of a sub-topology reads partition p of every one of
 * its source topics: the report topics and {@code reports-by-school} are sources of the school
 * stage's sub-topology, so a report read from partition p of its topic is already in task p,
 * where the repartition would have sent it when {@code SchoolPartitioner.partition(school) == p}.
 * Whatever the producer did (another key, no key, its own partitioner, a topic with more or
 * fewer partitions), a report elsewhere goes through the repartition, as every report used to.
 * The two paths may reorder a school's reports; no stage depends on order (the highest revision
 * wins).
 */
final class ReportPath implements FixedKeyProcessor<String, SchoolInput, SchoolInput> {
    private final int partitions;
    private final boolean direct;
    private FixedKeyProcessorContext<String, SchoolInput> context;

    /**
     * @param partitions the school stage's partitions ({@code Options.partitions()})
     * @param direct     true: let through the reports already in place; false: the others
     */
    ReportPath(int partitions, boolean direct) {
        this.partitions = partitions;
        this.direct = direct;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, SchoolInput> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, SchoolInput> record) {
        // The metadata is the report topic's record this one came from (it follows the record
        // through the sub-topology); without it, the repartition, which is always right.
        boolean inPlace = record.key() != null && context.recordMetadata()
                .map(m -> m.partition() == SchoolPartitioner.partition(record.key(), partitions))
                .orElse(false);
        if (inPlace == direct) {
            context.forward(record);
        }
    }
}

package io.schoolstats.topology;

import io.schoolstats.stage.SchoolInput;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Lets through the school rows of one path to the school stage: the direct path, for a row read
 * from the partition that owns its school (keyed by its school id), or the repartition
 * ({@code school-rows-by-id}), for every other one. Exact for the reason {@link ReportIntake}
 * gives for reports, with one more condition for rows, whose order matters (the latest row of a
 * key wins): a row key is always read from one partition of {@code reference.schools} (the
 * producer's partitioner and the topic's partition count fixed), so all of a key's records take
 * one path, in order; rows of different keys (a school's timeless row and its rows of each school
 * year) may arrive in any order, which the school stage does not depend on.
 */
final class SchoolPath implements FixedKeyProcessor<String, SchoolInput, SchoolInput> {
    private final int partitions;
    private final boolean direct;
    private FixedKeyProcessorContext<String, SchoolInput> context;

    /**
     * @param partitions the school stage's partitions ({@code Options.partitions()})
     * @param direct     true: let through the rows already in place; false: the others
     */
    SchoolPath(int partitions, boolean direct) {
        this.partitions = partitions;
        this.direct = direct;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, SchoolInput> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, SchoolInput> record) {
        // The metadata is the reference topic's record this one came from (it follows the record
        // through the sub-topology); without it, the repartition, which is always right.
        boolean inPlace = record.key() != null && context.recordMetadata()
                .map(m -> m.partition() == SchoolPartitioner.partition(record.key(), partitions))
                .orElse(false);
        if (inPlace == direct) {
            context.forward(record);
        }
    }
}

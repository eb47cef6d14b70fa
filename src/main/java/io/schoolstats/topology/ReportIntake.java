package io.schoolstats.topology;

import io.schoolstats.contract.Topics;
import io.schoolstats.report.Parsed;
import io.schoolstats.report.Received;
import io.schoolstats.report.Report;
import io.schoolstats.report.ReportParser;
import io.schoolstats.report.ReportType;
import io.schoolstats.stage.SchoolInput;
import io.schoolstats.stage.SchoolInput.ReportArrived;
import io.schoolstats.topology.ReportOutcomes.Outcome;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The first and only step of a school report before the school stage: reads a record of any
 * {@code reports.*} topic, validates it, and sends it to exactly one of three children by name:
 * <ul>
 *   <li>{@link #REJECTED}: the rejection envelope, for {@code reports.rejected};</li>
 *   <li>{@link #IN_PLACE}: a valid report read from the partition that owns its school
 *       ({@link SchoolPartitioner}), straight into the school stage in this task;</li>
 *   <li>{@link #ELSEWHERE}: any other valid report, to {@code reports-by-school}.</li>
 * </ul>
 * One processor instead of a chain of about ten DSL nodes (validate, filter, map, merge, choose
 * the path), so that what happens to a report before its school stage is in one place (the
 * benchmark found it no faster, README Performance). Its children are typed apart ({@link SchoolInput} for the last two, envelope bytes for the
 * first); a record goes to one child only, so each sees the values it is typed for.
 *
 * <p>The direct path is exact because a task of a sub-topology reads partition p of every one of
 * its source topics: the report topics and {@code reports-by-school} are sources of the school
 * stage's sub-topology, so a report read from partition p of its topic is already in task p,
 * where the repartition would have sent it when {@code SchoolPartitioner.partition(school) == p}.
 * Whatever the producer did (another key, no key, its own partitioner, a topic with more or
 * fewer partitions), a report elsewhere goes through the repartition, as every report used to.
 * The two paths may reorder a school's reports; no stage depends on their order (the highest
 * revision wins).
 */
final class ReportIntake implements Processor<byte[], byte[], String, Object> {
    /** The child names: the topology names those nodes so. */
    static final String REJECTED = "reports-to-rejected";
    static final String IN_PLACE = "school-inputs";
    static final String ELSEWHERE = "reports-elsewhere";

    private final int partitions;
    private final ReportOutcomes outcomes;
    private final ZoneId zone;
    private final Map<String, ReportType> types = new HashMap<>();
    private ProcessorContext<String, Object> context;

    /**
     * @param partitions the school stage's partitions ({@code Options.partitions()})
     */
    ReportIntake(int partitions, ReportOutcomes outcomes, ZoneId zone) {
        this.partitions = partitions;
        this.outcomes = outcomes;
        this.zone = zone;
        for (ReportType type : ReportType.values()) {
            types.put(Topics.reports(type).name(), type);
        }
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow(); // a source's record always has it
        ReportType type = types.get(meta.topic());
        Parsed<Report> parsed = ValidateProcessor.parse((key, value, timestamp) -> ReportParser.parse(type, value,
                Received.at(StatsTopology.instant(timestamp), zone)), null, record);
        if (!parsed.isValid()) {
            outcomes.record(type, Outcome.REJECTED);
            context.forward(ValidateProcessor.rejection(meta, record, parsed), REJECTED);
            return;
        }
        String school = parsed.value().schoolId();
        boolean inPlace = meta.partition() == SchoolPartitioner.partition(school, partitions);
        context.forward(record.withKey(school).withValue((SchoolInput) new ReportArrived(parsed.value())),
                inPlace ? IN_PLACE : ELSEWHERE);
    }
}

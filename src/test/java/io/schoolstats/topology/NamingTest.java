package io.schoolstats.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/** Internal topics and stores must keep their names when the topology grows. */
class NamingTest {
    private final Properties props = StreamsSettings.defaults("naming-test", "unused:9092");

    @Test
    void ourSettingsRefuseAGeneratedName() {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
        builder.stream("in").groupByKey().count();
        assertThatThrownBy(() -> new TopologyTestDriver(builder.build(props), props).close())
                .hasMessageContaining("has not been named");
    }

    @Test
    void everyInternalResourceOfTheTopologyIsNamed() {
        var topology = StatsTopology.build(props, StatsTopology.Options.defaults());
        new TopologyTestDriver(topology, props).close();
        String description = topology.describe().toString();
        assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
        for (TopologyDescription.Subtopology s : topology.describe().subtopologies()) {
            assertThat(s.nodes()).isNotEmpty();
        }
    }
}

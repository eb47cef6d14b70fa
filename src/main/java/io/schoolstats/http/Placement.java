package io.schoolstats.http;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance of the application owns a unit right now: the one running the active task of
 * the unit's partition (never a standby). Asked of Kafka Streams' metadata, which every instance
 * holds for all (each advertises its API as {@code application.server}).
 */
public final class Placement {
    /** Where a unit's figures are: here, at another instance's URL, or nowhere known (a rebalance). */
    public record Owner(Where where, String url) {
        public enum Where { HERE, THERE, UNKNOWN }

        static final Owner HERE = new Owner(Where.HERE, null);
        static final Owner UNKNOWN = new Owner(Where.UNKNOWN, null);
    }

    private final KafkaStreams streams;
    private final HostInfo self;

    public Placement(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    /**
     * The owner of {@code key} in the stage holding {@code store}: the stages are partitioned by
     * the unit's code (a string key), as their input topics are.
     */
    public Owner ownerOf(String store, String key) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        } catch (StreamsException | IllegalStateException e) {
            return Owner.UNKNOWN; // not started yet, or shutting down
        }
        if (metadata == null || metadata.activeHost() == null || HostInfo.unavailable().equals(metadata.activeHost())) {
            return Owner.UNKNOWN;
        }
        return self.equals(metadata.activeHost()) ? Owner.HERE : new Owner(Owner.Where.THERE, url(metadata.activeHost()));
    }

    /** The API of every other instance of the application. */
    public List<String> others() {
        List<String> urls = new ArrayList<>();
        try {
            for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
                if (!self.equals(m.hostInfo()) && !HostInfo.unavailable().equals(m.hostInfo())) {
                    urls.add(url(m.hostInfo()));
                }
            }
        } catch (StreamsException | IllegalStateException e) {
            // Not started: no other instance known.
        }
        return urls;
    }

    private static String url(HostInfo host) {
        return "http://" + host.host() + ":" + host.port();
    }
}

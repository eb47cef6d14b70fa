package io.schoolstats.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.reference.EmulationScheme;
import io.schoolstats.reference.ReferenceParser;
import io.schoolstats.report.EmulationScore;
import io.schoolstats.report.Json;
import io.schoolstats.report.Violation;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What an evaluator's score is checked against: a cluster's members and scoring scheme of one
 * school year, as the instance that owns the cluster holds them (either null: none that year).
 * It travels between instances as JSON, so that any instance can check a score before writing it.
 */
public record ClusterScoring(String clusterId, String schoolYear, Set<String> members, EmulationScheme scheme) {
    public static ClusterScoring of(StatsQuery query, String clusterId, String schoolYear) {
        var row = query.clusterYears(clusterId).get(schoolYear);
        return new ClusterScoring(clusterId, schoolYear, row == null ? null : new LinkedHashSet<>(row.members()),
                query.schemes(clusterId).get(schoolYear));
    }

    /** Why the score does not fit (see {@link EmulationScheme#check}); empty when it does. */
    public List<Violation> check(EmulationScore score) {
        return EmulationScheme.check(score, members, scheme);
    }

    public ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode().put("clusterId", clusterId).put("schoolYear", schoolYear);
        if (members == null) {
            root.putNull("members");
        } else {
            members.forEach(root.putArray("members")::add);
        }
        if (scheme == null) {
            root.putNull("scheme");
        } else {
            root.set("scheme", scheme.toJson());
        }
        return root;
    }

    /** Read back from {@link #toJson()}, as another instance wrote it. */
    public static ClusterScoring fromJson(JsonNode node) {
        Set<String> members = null;
        if (node.path("members").isArray()) {
            members = new LinkedHashSet<>();
            for (JsonNode m : node.get("members")) {
                members.add(m.asText());
            }
        }
        EmulationScheme scheme = null;
        if (node.path("scheme").isObject()) {
            var parsed = ReferenceParser.scheme(node.get("scheme"));
            if (!parsed.isValid()) {
                throw new IllegalArgumentException("another instance sent a scheme this one cannot read: "
                        + parsed.violations().get(0).message());
            }
            scheme = parsed.value();
        }
        return new ClusterScoring(node.path("clusterId").asText(), node.path("schoolYear").asText(), members, scheme);
    }
}

package io.schoolstats.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.report.Json;
import io.schoolstats.stats.Period;
import java.util.List;

/** The JSON of one aggregate, as written to {@code stats.district|province|cluster} and served. */
public final class StatsJson {
    private StatsJson() {
    }

    public static ObjectNode of(String scope, String code, Period period, long[] counts) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("scope", scope);
        node.put("code", code);
        node.put("kind", period.kind().label());
        node.put("period", period.encode());
        if (period.schoolYear() != null) {
            node.put("schoolYear", period.schoolYear());
        }
        if (period.date() != null) {
            node.put("date", period.date().toString());
        }
        if (period.level() != null) {
            node.put("level", period.level());
        }
        if (period.exam() != null) {
            node.put("exam", period.exam());
        }
        ObjectNode values = node.putObject("counts");
        List<String> measures = period.kind().measures();
        for (int i = 0; i < measures.size(); i++) {
            values.put(measures.get(i), counts[i]);
        }
        return node;
    }

    static byte[] bytes(Messages.StatsChanged change) {
        if (change.counts() == null) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsBytes(of(change.scope(), change.code(), Period.decode(change.period()),
                    change.counts()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

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

    /** The same JSON as {@link #of}, streamed: this runs for every aggregate change. */
    static byte[] bytes(Messages.StatsChanged change) {
        if (change.counts() == null) {
            return null;
        }
        Period period = Period.decode(change.period());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        try (com.fasterxml.jackson.core.JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("scope", change.scope());
            g.writeStringField("code", change.code());
            g.writeStringField("kind", period.kind().label());
            g.writeStringField("period", change.period());
            if (period.schoolYear() != null) {
                g.writeStringField("schoolYear", period.schoolYear());
            }
            if (period.date() != null) {
                g.writeStringField("date", period.date().toString());
            }
            if (period.level() != null) {
                g.writeStringField("level", period.level());
            }
            if (period.exam() != null) {
                g.writeStringField("exam", period.exam());
            }
            g.writeObjectFieldStart("counts");
            List<String> measures = period.kind().measures();
            for (int i = 0; i < measures.size(); i++) {
                g.writeNumberField(measures.get(i), change.counts()[i]);
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}

package io.schoolstats.topology;

import io.schoolstats.report.Json;
import io.schoolstats.stats.Period;
import java.util.List;

/** The JSON of one aggregate, as written to {@code stats.district|province|cluster} and served. */
public final class StatsJson {
    private StatsJson() {
    }

    /** The JSON of an aggregate change, streamed (no tree): this runs for every one. */
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

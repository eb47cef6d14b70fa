package io.schoolstats.contract;

import io.schoolstats.reference.Scope;
import io.schoolstats.report.Json;
import io.schoolstats.stats.Aggregate;
import io.schoolstats.stats.Measure;
import io.schoolstats.stats.Period;

/** The JSON of one aggregate, as written to {@code stats.district|commune|province|cluster}. */
public final class StatsJson {
    private StatsJson() {
    }

    /** The key of an aggregate on {@code stats.*}: {@code code|period}. */
    public static String key(String code, Period period) {
        return code + "|" + period.encode();
    }

    /** The JSON of an aggregate change, streamed (no tree): this runs for every one. */
    public static byte[] bytes(Scope scope, String code, Period period, long[] counts) {
        if (counts == null) {
            return null;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        try (com.fasterxml.jackson.core.JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("scope", scope.label());
            g.writeStringField("code", code);
            g.writeStringField("kind", period.kind().label());
            g.writeStringField("period", period.encode());
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
            Aggregate aggregate = new Aggregate(period, counts);
            for (Measure measure : period.kind().measures()) {
                g.writeNumberField(measure.jsonName(), aggregate.get(measure));
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}

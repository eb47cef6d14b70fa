package io.schoolstats.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The published JSON Schemas of the report types ({@code /schemas/<type>.schema.json}), loaded once. */
public final class ReportSchemas {
    private static final Map<ReportType, JsonSchema> SCHEMAS = new EnumMap<>(ReportType.class);

    static {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        for (ReportType type : ReportType.values()) {
            try (InputStream in = ReportSchemas.class.getResourceAsStream(resource(type))) {
                SCHEMAS.put(type, factory.getSchema(Json.MAPPER.readTree(in)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private ReportSchemas() {
    }

    public static String resource(ReportType type) {
        return "/schemas/" + type.label() + ".schema.json";
    }

    /** What the schema of the type says is wrong with a report; empty when it conforms. */
    public static List<Violation> check(ReportType type, JsonNode report) {
        Set<ValidationMessage> messages = SCHEMAS.get(type).validate(report);
        List<Violation> out = new ArrayList<>();
        for (ValidationMessage m : messages) {
            String path = m.getInstanceLocation().toString();
            String field = path.startsWith("$.") ? path.substring(2) : path.equals("$") ? null : path;
            if ("required".equals(m.getType()) && m.getProperty() != null) {
                field = m.getProperty();
            }
            out.add(new Violation(field, Violation.Reason.SCHEMA_VIOLATION, m.getMessage(), m.getMessage()));
        }
        return out;
    }
}

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
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The published JSON Schemas of the report types ({@code /schemas/<type>.schema.json}), loaded once. */
public final class ReportSchemas {
    private static final Map<String, JsonSchema> SCHEMAS = new java.util.HashMap<>();

    static {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        List<String> labels = new ArrayList<>();
        for (ReportType type : ReportType.values()) {
            labels.add(type.label());
        }
        labels.add(EmulationScore.LABEL);
        for (String label : labels) {
            try (InputStream in = ReportSchemas.class.getResourceAsStream(resource(label))) {
                SCHEMAS.put(label, factory.getSchema(Json.MAPPER.readTree(in)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private ReportSchemas() {
    }

    public static String resource(ReportType type) {
        return resource(type.label());
    }

    /** The schema of a type by its label ({@code attendance} ... {@code emulation_score}). */
    public static String resource(String label) {
        return "/schemas/" + label + ".schema.json";
    }

    /** Whether a type of that label has a published schema. */
    public static boolean exists(String label) {
        return SCHEMAS.containsKey(label);
    }

    /** What the schema of the type says is wrong with a report; empty when it conforms. */
    public static List<Violation> check(ReportType type, JsonNode report) {
        return check(type.label(), report);
    }

    public static List<Violation> check(String label, JsonNode report) {
        Set<ValidationMessage> messages = SCHEMAS.get(label).validate(report);
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

package io.schoolstats.reference;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Fields;
import io.schoolstats.report.Json;
import io.schoolstats.report.Parsed;
import io.schoolstats.report.Violation;
import io.schoolstats.report.Violation.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Validates reference rows; the record key must agree with the row's own id. */
public final class ReferenceParser {
    private ReferenceParser() {
    }

    public static Parsed<School> school(String key, byte[] bytes) {
        return parse(key, bytes, ReferenceParser::school, School::schoolId);
    }

    public static Parsed<District> district(String key, byte[] bytes) {
        return parse(key, bytes, ReferenceParser::district, District::code);
    }

    public static Parsed<Province> province(String key, byte[] bytes) {
        return parse(key, bytes, ReferenceParser::province, Province::code);
    }

    public static Parsed<Cluster> cluster(String key, byte[] bytes) {
        return parse(key, bytes, ReferenceParser::cluster, Cluster::key);
    }

    /** Validates a row given as a JSON tree (bundled files, HTTP). */
    public static Parsed<School> school(JsonNode node) {
        return tree(node, ReferenceParser::school);
    }

    public static Parsed<District> district(JsonNode node) {
        return tree(node, ReferenceParser::district);
    }

    public static Parsed<Province> province(JsonNode node) {
        return tree(node, ReferenceParser::province);
    }

    public static Parsed<Cluster> cluster(JsonNode node) {
        return tree(node, ReferenceParser::cluster);
    }

    private static School school(Fields f) {
        School s = new School(f.id("schoolId"), f.string("name"), f.string("level"), f.id("district"));
        return f.ok() ? s : null;
    }

    private static District district(Fields f) {
        District d = new District(f.id("code"), f.string("name"), f.id("province"));
        return f.ok() ? d : null;
    }

    private static Province province(Fields f) {
        Province p = new Province(f.id("code"), f.string("name"));
        return f.ok() ? p : null;
    }

    private static Cluster cluster(Fields f) {
        String clusterId = f.id("clusterId");
        String name = f.string("name");
        String schoolYear = f.schoolYear("schoolYear");
        Scope scope = null;
        String scopeText = f.string("scope");
        if (scopeText != null) {
            scope = Scope.fromLabel(scopeText).filter(s -> s != Scope.CLUSTER).orElse(null);
            if (scope == null) {
                f.fail("scope", Reason.INVALID_SCOPE, "'scope' must be 'district' or 'province', got '" + scopeText + "'",
                        scopeText);
            }
        }
        Set<String> members = new LinkedHashSet<>();
        JsonNode array = f.node("members");
        if (array == null || array.isNull()) {
            f.fail("members", Reason.MISSING_FIELD, "'members' is required");
        } else if (!array.isArray()) {
            f.fail("members", Reason.WRONG_TYPE, "'members' must be an array of unit codes", "array");
        } else {
            for (JsonNode member : array) {
                if (!member.isTextual() || member.textValue().isEmpty() || member.textValue().contains("|")) {
                    f.fail("members", Reason.WRONG_TYPE, "'members' must hold unit codes (non-empty strings without '|')",
                            "array");
                    break;
                }
                members.add(member.textValue());
            }
        }
        String head = null;
        if (f.has("head")) {
            head = f.string("head");
            if (head != null && !members.contains(head)) {
                f.fail("head", Reason.INVALID_ID, "'head' (" + head + ") must be one of the members");
            }
        }
        return f.ok() ? new Cluster(clusterId, name, schoolYear, scope, new ArrayList<>(members), head) : null;
    }

    private static <T> Parsed<T> parse(String key, byte[] bytes, Function<Fields, T> reader, Function<T, String> id) {
        if (key == null) {
            return Parsed.invalid(new Violation(null, Reason.MISSING_KEY, "a reference record needs its id as key"));
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            return Parsed.invalid(new Violation(null, Reason.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(),
                    e.getOriginalMessage()));
        } catch (IOException e) {
            return Parsed.invalid(new Violation(null, Reason.MALFORMED_JSON, "not valid JSON: " + e.getMessage(),
                    e.getMessage()));
        }
        Parsed<T> parsed = tree(node, reader);
        if (parsed.isValid() && !key.equals(id.apply(parsed.value()))) {
            return Parsed.invalid(new Violation(null, Reason.KEY_MISMATCH,
                    "the record key '" + key + "' does not match the row's id '" + id.apply(parsed.value()) + "'",
                    key, id.apply(parsed.value())));
        }
        return parsed;
    }

    private static <T> Parsed<T> tree(JsonNode node, Function<Fields, T> reader) {
        if (node == null || !node.isObject()) {
            return Parsed.invalid(new Violation(null, Reason.NOT_AN_OBJECT, "a reference row must be a JSON object"));
        }
        Fields f = new Fields(node);
        T value = reader.apply(f);
        return f.ok() ? Parsed.valid(value) : Parsed.invalid(f.violations());
    }
}

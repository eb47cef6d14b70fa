package io.schoolstats.reference;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Fields;
import io.schoolstats.report.Json;
import io.schoolstats.report.Parsed;
import io.schoolstats.report.Quote;
import io.schoolstats.report.SchoolYear;
import io.schoolstats.report.Violation;
import io.schoolstats.report.Violation.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Validates reference rows. A row is timeless, or for one school year when it says
 * {@code "schoolYear"} or its record key does ({@code id|2025-2026}); the record key must agree
 * with the row's own id and year.
 */
public final class ReferenceParser {
    /** Most members a cluster may list: far above any real cluster, low enough for a record. */
    public static final int MAX_MEMBERS = 1000;

    private ReferenceParser() {
    }

    /**
     * A deletion (a null value) of the row its key names: the key must be an id, or an id and a
     * school year; a cluster's must name its school year ({@code clusterId|2025-2026}).
     */
    public static <T> Parsed<T> deletion(String key, boolean yearRequired) {
        if (key == null) {
            return Parsed.invalid(new Violation(null, Reason.MISSING_KEY, "a reference record needs its id as key"));
        }
        RowKey rowKey = RowKey.decode(key);
        boolean yearOk = rowKey.timeless() ? !yearRequired : SchoolYear.isValid(rowKey.schoolYear());
        if (!Fields.isId(rowKey.id()) || !yearOk) {
            return Parsed.invalid(new Violation(null, Reason.KEY_MISMATCH, "the record key '" + Quote.of(key) + "' must be "
                    + (yearRequired ? "an id, '|' and a school year such as HN-C1|2025-2026"
                        : "an id, or an id, '|' and a school year such as 2025-2026"), key, rowKey.id()));
        }
        return Parsed.valid(null);
    }

    /** How a row is read out of its fields, given the school year its record key names (or null). */
    private interface Reader<T> {
        T read(Fields fields, String keyYear);
    }

    public static Parsed<School> school(String key, byte[] bytes) {
        return parse(key, bytes, ReferenceParser::school, School::key);
    }

    public static Parsed<LocalUnit> localUnit(String key, byte[] bytes) {
        return parse(key, bytes, ReferenceParser::localUnit, LocalUnit::key);
    }

    public static Parsed<Province> province(String key, byte[] bytes) {
        return parse(key, bytes, ReferenceParser::province, Province::key);
    }

    public static Parsed<Cluster> cluster(String key, byte[] bytes) {
        return parse(key, bytes, ReferenceParser::cluster, Cluster::key);
    }

    public static Parsed<EmulationScheme> scheme(String key, byte[] bytes) {
        return parse(key, bytes, ReferenceParser::scheme, EmulationScheme::key);
    }

    public static Parsed<EmulationScheme> scheme(JsonNode node) {
        return tree(node, null, ReferenceParser::scheme);
    }

    /** Validates a row given as a JSON tree (bundled files, HTTP): its key follows from the row. */
    public static Parsed<Exam> exam(String key, byte[] bytes) {
        return parse(key, bytes, ReferenceParser::exam, Exam::key);
    }

    public static Parsed<Exam> exam(JsonNode node) {
        return tree(node, null, ReferenceParser::exam);
    }

    /** A deletion of an exam code: its key must be a code. */
    public static <T> Parsed<T> examDeletion(String key) {
        if (!Exam.isCode(key)) {
            return Parsed.invalid(new Violation(null, Reason.KEY_MISMATCH, "the record key of an exam must be its "
                    + "code, such as THPT_GRADUATION", key, ""));
        }
        return Parsed.valid(null);
    }

    public static Parsed<School> school(JsonNode node) {
        return tree(node, null, ReferenceParser::school);
    }

    public static Parsed<LocalUnit> localUnit(JsonNode node) {
        return tree(node, null, ReferenceParser::localUnit);
    }

    public static Parsed<Province> province(JsonNode node) {
        return tree(node, null, ReferenceParser::province);
    }

    public static Parsed<Cluster> cluster(JsonNode node) {
        return tree(node, null, ReferenceParser::cluster);
    }

    private static School school(Fields f, String keyYear) {
        String schoolId = f.id("schoolId");
        String name = f.string("name");
        String level = f.string("level");
        String district = f.has("district") ? f.id("district") : null;
        String province = f.has("province") ? f.id("province") : null;
        if (!f.has("district") && !f.has("province")) {
            f.fail("district", Reason.MISSING_FIELD,
                    "'district' (a district or commune code) or, for a school directly under its province, 'province' "
                        + "is required");
        } else if (f.has("district") && f.has("province")) {
            f.fail("province", Reason.CONFLICTING_FIELDS,
                    "a school belongs to a 'district' (or commune) or directly to a 'province', not both");
        }
        String year = schoolYear(f, keyYear);
        return f.ok() ? new School(schoolId, name, level, district, province, year) : null;
    }

    private static LocalUnit localUnit(Fields f, String keyYear) {
        String code = f.id("code");
        String name = f.string("name");
        String province = f.id("province");
        Scope scope = Scope.DISTRICT;
        if (f.has("scope")) {
            String text = f.string("scope");
            scope = text == null ? null : Scope.fromLabel(text).filter(Scope::local).orElse(null);
            if (text != null && scope == null) {
                f.fail("scope", Reason.INVALID_SCOPE, "'scope' must be 'district' or 'commune', got '" + Quote.of(text) + "'",
                        text);
            }
        }
        String year = schoolYear(f, keyYear);
        return f.ok() ? new LocalUnit(code, name, province, scope, year) : null;
    }

    private static Province province(Fields f, String keyYear) {
        Province p = new Province(f.id("code"), f.string("name"), schoolYear(f, keyYear));
        return f.ok() ? p : null;
    }

    private static Exam exam(Fields f, String keyYear) {
        String code = f.string("code");
        if (code != null && !Exam.isCode(code)) {
            f.fail("code", Reason.INVALID_EXAM_CODE,
                    "'code' must be an upper-case code of 1 to 40 letters, digits or '_', such as THPT_GRADUATION", code);
        }
        String name = f.string("name");
        if (f.has("schoolYear")) {
            f.fail("schoolYear", Reason.CONFLICTING_FIELDS, "the exam catalogue has no school years: an exam code is "
                    + "defined for every year");
        }
        return f.ok() ? new Exam(code, name) : null;
    }

    private static Cluster cluster(Fields f, String keyYear) {
        String clusterId = f.id("clusterId");
        String name = f.string("name");
        String schoolYear = f.schoolYear("schoolYear");
        Scope scope = null;
        String scopeText = f.string("scope");
        if (scopeText != null) {
            scope = Scope.fromLabel(scopeText).filter(s -> s != Scope.CLUSTER).orElse(null);
            if (scope == null) {
                f.fail("scope", Reason.INVALID_SCOPE,
                        "'scope' must be 'district', 'commune' or 'province', got '" + Quote.of(scopeText) + "'", scopeText);
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
                String code = member.isTextual() ? Fields.normalize(member.textValue()) : null;
                if (!Fields.isId(code)) {
                    f.fail("members", Reason.INVALID_ID, "'members' must hold unit codes: 1 to 64 characters without "
                            + "'|', control, format or bidirectional characters");
                    break;
                }
                members.add(code);
            }
            if (members.size() > MAX_MEMBERS) {
                f.fail("members", Reason.TOO_LARGE, "'members' must list at most " + MAX_MEMBERS + " units, got "
                        + members.size(), members.size(), MAX_MEMBERS);
            }
        }
        String head = null;
        if (f.has("head")) {
            head = f.string("head");
            if (head != null && !members.contains(head)) {
                f.fail("head", Reason.INVALID_ID, "'head' (" + Quote.of(head) + ") must be one of the members");
            }
        }
        return f.ok() ? new Cluster(clusterId, name, schoolYear, scope, new ArrayList<>(members), head) : null;
    }

    private static EmulationScheme scheme(Fields f, String keyYear) {
        String clusterId = f.id("clusterId");
        String schoolYear = f.schoolYear("schoolYear");
        String name = f.string("name");
        List<EmulationScheme.Criterion> criteria = new ArrayList<>();
        JsonNode array = f.node("criteria");
        if (array == null || array.isNull()) {
            f.fail("criteria", Reason.MISSING_FIELD, "'criteria' is required");
        } else if (!array.isArray() || array.isEmpty()) {
            f.fail("criteria", Reason.WRONG_TYPE, "'criteria' must be a non-empty array of criteria", "array");
        } else if (array.size() > EmulationScheme.MAX_CRITERIA) {
            f.fail("criteria", Reason.TOO_LARGE, "'criteria' must hold at most " + EmulationScheme.MAX_CRITERIA
                    + " criteria, got " + array.size(), array.size(), EmulationScheme.MAX_CRITERIA);
        } else {
            Set<String> ids = new LinkedHashSet<>();
            for (int i = 0; i < array.size() && f.ok(); i++) {
                EmulationScheme.Criterion c = criterion(f, "criteria[" + i + "]", array.get(i));
                if (c != null && !ids.add(c.id())) {
                    f.fail("criteria[" + i + "].id", Reason.INVALID_CRITERION, "criterion '" + Quote.of(c.id())
                            + "' is defined twice");
                }
                criteria.add(c);
            }
        }
        EmulationScheme.Flag flag = null;
        JsonNode flagNode = f.node("flag");
        if (flagNode != null && !flagNode.isNull()) {
            if (!flagNode.isObject()) {
                f.fail("flag", Reason.WRONG_TYPE, "'flag' must be an object such as {\"top\": 2}", "object");
            } else {
                Fields flagFields = new Fields(flagNode);
                Long top = flagFields.optionalCount("top");
                Double minTotal = flagNode.has("minTotal") ? number(f, "flag.minTotal", flagNode.get("minTotal"), 0,
                        EmulationScheme.MAX_POINTS * EmulationScheme.MAX_CRITERIA) : null;
                flagFields.violations().forEach(v -> f.fail("flag." + v.field(), v.reason(), v.message()));
                if (top != null && (top < 1 || top > MAX_MEMBERS)) {
                    f.fail("flag.top", Reason.INVALID_CRITERION, "'flag.top' must be 1 to " + MAX_MEMBERS);
                }
                flag = new EmulationScheme.Flag(top == null || top < 0 ? null : top.intValue(), minTotal);
            }
        }
        return f.ok() ? new EmulationScheme(clusterId, schoolYear, name, List.copyOf(criteria), flag) : null;
    }

    private static EmulationScheme.Criterion criterion(Fields scheme, String at, JsonNode node) {
        if (node == null || !node.isObject()) {
            scheme.fail(at, Reason.WRONG_TYPE, "'" + at + "' must be an object with id, name and maxPoints", "object");
            return null;
        }
        Fields f = new Fields(node);
        String id = f.id("id");
        String name = f.string("name");
        double max = node.has("maxPoints") ? number(scheme, at + ".maxPoints", node.get("maxPoints"), 0,
                EmulationScheme.MAX_POINTS) : Double.NaN;
        if (!node.has("maxPoints")) {
            f.fail("maxPoints", Reason.MISSING_FIELD, "'maxPoints' is required");
        } else if (max == 0) {
            scheme.fail(at + ".maxPoints", Reason.INVALID_CRITERION, "'" + at + ".maxPoints' must be above 0");
        }
        String indicator = null;
        EmulationScheme.Rule rule = null;
        if (node.has("indicator") || node.has("rule")) {
            indicator = f.string("indicator");
            if (indicator != null && !EmulationScheme.INDICATOR.matcher(indicator).matches()) {
                f.fail("indicator", Reason.INVALID_CRITERION, "'indicator' must be attendance_ratio, "
                        + "completion_ratio:LEVEL, conduct_good_ratio:LEVEL, pass_ratio:EXAM or awards:EXAM, got '"
                        + Quote.of(indicator) + "'");
            }
            rule = rule(scheme, at + ".rule", node.get("rule"), max);
        }
        f.violations().forEach(v -> scheme.fail(at + "." + v.field(), v.reason(), v.message()));
        return scheme.ok() ? new EmulationScheme.Criterion(id, name, max, indicator, rule) : null;
    }

    private static EmulationScheme.Rule rule(Fields scheme, String at, JsonNode node, double max) {
        if (node == null || !node.isObject()) {
            scheme.fail(at, Reason.MISSING_FIELD, "a criterion with an indicator needs '" + at + "': "
                    + "{\"type\":\"linear\",\"from\":0.9,\"to\":1} or {\"type\":\"thresholds\",\"steps\":[...]}");
            return null;
        }
        String type = node.path("type").asText("");
        if (type.equals("linear")) {
            double from = number(scheme, at + ".from", node.get("from"), 0, Double.MAX_VALUE);
            double to = number(scheme, at + ".to", node.get("to"), 0, Double.MAX_VALUE);
            if (scheme.ok() && !(from < to)) {
                scheme.fail(at, Reason.INVALID_CRITERION, "'" + at + ".from' must be below '" + at + ".to'");
            }
            return new EmulationScheme.Linear(from, to);
        }
        if (type.equals("thresholds")) {
            JsonNode steps = node.get("steps");
            if (steps == null || !steps.isArray() || steps.isEmpty() || steps.size() > 100) {
                scheme.fail(at + ".steps", Reason.WRONG_TYPE, "'" + at + ".steps' must be an array of 1 to 100 "
                        + "{\"atLeast\": value, \"points\": points}", "array");
                return null;
            }
            List<EmulationScheme.Step> list = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                JsonNode step = steps.get(i);
                double atLeast = number(scheme, at + ".steps[" + i + "].atLeast", step.get("atLeast"), 0, Double.MAX_VALUE);
                double points = number(scheme, at + ".steps[" + i + "].points", step.get("points"), 0, max);
                list.add(new EmulationScheme.Step(atLeast, points));
            }
            return new EmulationScheme.Thresholds(List.copyOf(list));
        }
        scheme.fail(at + ".type", Reason.INVALID_CRITERION, "'" + at + ".type' must be 'linear' or 'thresholds', got '"
                + Quote.of(type) + "'");
        return null;
    }

    /** A required number between min and max (inclusive); NaN, with a violation, when it is not. */
    private static double number(Fields f, String at, JsonNode node, double min, double max) {
        if (node == null || node.isNull()) {
            f.fail(at, Reason.MISSING_FIELD, "'" + at + "' is required");
            return Double.NaN;
        }
        if (!node.isNumber()) {
            f.fail(at, Reason.WRONG_TYPE, "'" + at + "' must be a number", "number");
            return Double.NaN;
        }
        double value = node.doubleValue();
        if (!(value >= min && value <= max)) {
            f.fail(at, Reason.INVALID_CRITERION, "'" + at + "' must be between " + min + " and " + max + ", got "
                    + Quote.of(node.asText()));
            return Double.NaN;
        }
        return value;
    }

    /** The row's optional school year; absent, the record key's (null for a timeless row). */
    private static String schoolYear(Fields f, String keyYear) {
        return f.has("schoolYear") ? f.schoolYear("schoolYear") : keyYear;
    }

    private static <T> Parsed<T> parse(String key, byte[] bytes, Reader<T> reader, Function<T, RowKey> keyOf) {
        if (key == null) {
            return Parsed.invalid(new Violation(null, Reason.MISSING_KEY, "a reference record needs its id as key"));
        }
        RowKey recordKey = RowKey.decode(key);
        Parsed<Void> keyCheck = deletion(key, false);
        if (!keyCheck.isValid()) {
            return Parsed.invalid(keyCheck.violations());
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            return Parsed.invalid(new Violation(null, Reason.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(),
                    e.getOriginalMessage()));
        } catch (IOException e) {
            return Parsed.invalid(new Violation(null, Reason.MALFORMED_JSON, "not valid JSON: " + Quote.of(e.getMessage()),
                    e.getMessage()));
        }
        Parsed<T> parsed = tree(node, recordKey.schoolYear(), reader);
        if (parsed.isValid() && !recordKey.equals(keyOf.apply(parsed.value()))) {
            return Parsed.invalid(new Violation(null, Reason.KEY_MISMATCH,
                    "the record key '" + Quote.of(key) + "' does not match the row's id and school year '"
                        + Quote.of(keyOf.apply(parsed.value())) + "'",
                    key, keyOf.apply(parsed.value()).encode()));
        }
        return parsed;
    }

    private static <T> Parsed<T> tree(JsonNode node, String keyYear, Reader<T> reader) {
        if (node == null || !node.isObject()) {
            return Parsed.invalid(new Violation(null, Reason.NOT_AN_OBJECT, "a reference row must be a JSON object"));
        }
        Fields f = new Fields(node);
        T value = reader.read(f, keyYear);
        return f.ok() ? Parsed.valid(value) : Parsed.invalid(f.violations());
    }
}

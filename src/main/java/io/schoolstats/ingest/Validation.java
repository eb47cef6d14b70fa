package io.schoolstats.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.ingest.Checked.Accepted;
import io.schoolstats.report.Parsed;
import io.schoolstats.report.Report;
import io.schoolstats.report.ReportParser;
import io.schoolstats.report.ReportSchemas;
import io.schoolstats.report.ReportType;
import io.schoolstats.report.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates submitted items with the stream's own validator plus the published JSON Schema,
 * so that an item accepted here is never rejected downstream.
 */
public final class Validation {
    private Validation() {
    }

    /** Every item's outcome, every refusal listed (a file: push lists them all). */
    public static Checked reports(ReportType type, List<Item> items) {
        Checked.Builder checked = new Checked.Builder(Integer.MAX_VALUE);
        items.forEach(item -> report(type, item, checked));
        return checked.build();
    }

    /** Every row's outcome, every refusal listed. */
    public static Checked reference(ReferenceKind kind, List<Item> items) {
        Checked.Builder checked = new Checked.Builder(Integer.MAX_VALUE);
        items.forEach(item -> reference(kind, item, checked));
        return checked.build();
    }

    /** Validates one report into {@code checked}. */
    public static void report(ReportType type, Item item, Checked.Builder checked) {
        Parsed<Report> parsed = ReportParser.parse(type, item.node(), null);
        List<Violation> violations = new ArrayList<>(parsed.violations());
        if (item.node() != null && item.node().isObject()) {
            Set<String> named = new HashSet<>();
            violations.forEach(v -> named.add(String.valueOf(v.field())));
            for (Violation v : ReportSchemas.check(type, item.node())) {
                // The validator already names most of what the schema finds: keep one error a field.
                if (named.add(String.valueOf(v.field()))) {
                    violations.add(v);
                }
            }
        }
        if (violations.isEmpty()) {
            Report report = parsed.value();
            checked.accept(new Accepted(item.index(), type.topic(), report.schoolId(), item.node().toString(),
                    report.schoolId()));
        } else {
            checked.reject(item.index(), violations);
        }
    }

    /** Validates one reference row into {@code checked}. */
    public static void reference(ReferenceKind kind, Item item, Checked.Builder checked) {
        Parsed<String> key = kind.validate(item.node());
        if (key.isValid()) {
            ObjectNode row = (ObjectNode) item.node();
            checked.accept(new Accepted(item.index(), kind.topic(), key.value(), row.toString(), null));
        } else {
            checked.reject(item.index(), key.violations());
        }
    }
}

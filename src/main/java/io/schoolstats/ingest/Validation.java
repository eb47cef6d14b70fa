package io.schoolstats.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.ingest.Checked.Accepted;
import io.schoolstats.contract.Topics;
import io.schoolstats.report.CanonicalReport;
import io.schoolstats.report.EmulationScore;
import io.schoolstats.report.EmulationScoreParser;
import io.schoolstats.report.ExamReport;
import io.schoolstats.report.Parsed;
import io.schoolstats.report.Received;
import io.schoolstats.report.Report;
import io.schoolstats.report.ReportParser;
import io.schoolstats.report.ReportSchemas;
import io.schoolstats.report.ReportType;
import io.schoolstats.report.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Validates submitted items with the stream's own validator plus the published JSON Schema,
 * so that an item accepted here is never rejected downstream.
 */
public final class Validation {
    private Validation() {
    }

    /** Every item's outcome, every refusal listed (a file: push lists them all). */
    public static Checked reports(ReportType type, List<Item> items, Received received, Predicate<String> examDefined) {
        Checked.Builder checked = new Checked.Builder(Integer.MAX_VALUE);
        items.forEach(item -> report(type, item, received, examDefined, checked));
        return checked.build();
    }

    /** Every row's outcome, every refusal listed. */
    public static Checked reference(ReferenceKind kind, List<Item> items) {
        Checked.Builder checked = new Checked.Builder(Integer.MAX_VALUE);
        items.forEach(item -> reference(kind, item, checked));
        return checked.build();
    }

    /**
     * Validates one report into {@code checked}.
     *
     * @param received    the request's time and the deployment's time zone, which bound the reports' dates
     * @param examDefined whether an exam code is in the catalogue: over HTTP an unknown code is
     *                    refused at once (on Kafka the stream holds such a report until the code is added)
     */
    public static void report(ReportType type, Item item, Received received, Predicate<String> examDefined,
                              Checked.Builder checked) {
        Parsed<Report> parsed = ReportParser.parse(type, item.node(), received);
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
        if (violations.isEmpty() && parsed.value() instanceof ExamReport exam && !examDefined.test(exam.exam())) {
            violations.add(new Violation("exam", Violation.Reason.UNKNOWN_EXAM, "the exam code '" + exam.exam()
                    + "' is not in the exam catalogue (reference.exams): an operator must add it first", exam.exam()));
        }
        if (violations.isEmpty()) {
            Report report = parsed.value();
            // The canonical report, not the submitted text: only what the contract knows reaches Kafka.
            checked.accept(new Accepted(item.index(), type.topic(), report.schoolId(),
                    CanonicalReport.json(report, item.node().hasNonNull("submittedAt")), report.schoolId()));
        } else {
            checked.reject(item.index(), violations);
        }
    }

    /**
     * Validates an evaluator's score on its own, as the stream does before it checks the cluster's
     * scheme: the validator's rules plus the published JSON Schema, one error a field.
     */
    public static io.schoolstats.report.Parsed<EmulationScore> score(Item item, Received received) {
        Parsed<EmulationScore> parsed = EmulationScoreParser.parse(item.node(), received);
        List<Violation> violations = new ArrayList<>(parsed.violations());
        if (item.node() != null && item.node().isObject()) {
            Set<String> named = new HashSet<>();
            violations.forEach(v -> named.add(String.valueOf(v.field())));
            for (Violation v : ReportSchemas.check(EmulationScore.LABEL, item.node())) {
                if (named.add(String.valueOf(v.field()))) {
                    violations.add(v);
                }
            }
        }
        return violations.isEmpty() ? parsed : Parsed.invalid(violations);
    }

    /** Every score's outcome on its own (a file: push lists them all; the server checks the scheme). */
    public static Checked scores(List<Item> items, Received received) {
        Checked.Builder checked = new Checked.Builder(Integer.MAX_VALUE);
        for (Item item : items) {
            Parsed<EmulationScore> parsed = score(item, received);
            if (parsed.isValid()) {
                checked.accept(scoreRecord(item, parsed.value()));
            } else {
                checked.reject(item.index(), parsed.violations());
            }
        }
        return checked.build();
    }

    /** The record of a valid score: keyed by its cluster, only what the contract knows, points as a decimal. */
    public static Accepted scoreRecord(Item item, EmulationScore score) {
        ObjectNode node = io.schoolstats.report.Json.MAPPER.createObjectNode().put("clusterId", score.clusterId())
                .put("schoolYear", score.schoolYear()).put("member", score.member()).put("criterion", score.criterion())
                .put("points", java.math.BigDecimal.valueOf(score.hundredths(), 2)).put("revision", score.revision());
        if (item.node().hasNonNull("submittedAt") && score.submittedAt() != null) {
            node.put("submittedAt", score.submittedAt().toString());
        }
        return new Accepted(item.index(), Topics.EMULATION_SCORES.name(), score.clusterId(), node.toString(), null);
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

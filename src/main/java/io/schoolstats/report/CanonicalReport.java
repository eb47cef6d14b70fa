package io.schoolstats.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated report as the contract writes it: the fields it knows, normalised (ids in NFC,
 * revision explicit), nothing else. What HTTP ingestion writes to the report topics, so that
 * whatever else a body carried (a note, a megabyte of padding) never reaches Kafka.
 */
public final class CanonicalReport {
    private CanonicalReport() {
    }

    /** @param withSubmittedAt false when the school did not say (the Kafka timestamp then stands in) */
    public static String json(Report report, boolean withSubmittedAt) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("schoolId", report.schoolId());
        if (report instanceof AttendanceReport a) {
            node.put("date", a.date().toString());
            node.put("enrolled", a.enrolled());
            node.put("present", a.present());
        } else if (report instanceof CompletionReport c) {
            node.put("schoolYear", c.schoolYear());
            node.put("level", c.level().name());
            node.put("assessed", c.assessed());
            node.put("completed", c.completed());
            if (c.conductGood() != null) {
                node.put("conductGood", c.conductGood());
            }
        } else if (report instanceof ExamReport e) {
            node.put("schoolYear", e.schoolYear());
            node.put("exam", e.exam());
            node.put("candidates", e.candidates());
            node.put("passed", e.passed());
            if (e.scoreBands() != null) {
                ArrayNode bands = node.putArray("scoreBands");
                e.scoreBands().forEach(bands::add);
            }
            if (e.awards() != null) {
                node.putObject("awards").put("first", e.awards().first()).put("second", e.awards().second())
                        .put("third", e.awards().third()).put("consolation", e.awards().consolation());
            }
        }
        node.put("revision", report.revision());
        if (withSubmittedAt && report.submittedAt() != null) {
            node.put("submittedAt", report.submittedAt().toString());
        }
        return node.toString();
    }
}

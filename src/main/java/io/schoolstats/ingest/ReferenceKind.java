package io.schoolstats.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.LocalUnit;
import io.schoolstats.reference.RowKey;
import io.schoolstats.reference.Province;
import io.schoolstats.reference.ReferenceParser;
import io.schoolstats.reference.School;
import io.schoolstats.report.Parsed;
import io.schoolstats.contract.Topics;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** The kinds of reference rows, as named in URLs and file names, with their topic and key. */
public enum ReferenceKind {
    PROVINCES(Topics.PROVINCES.name(), node -> key(ReferenceParser.province(node), Province::key)),
    /** Districts and communes (their {@code scope}). */
    DISTRICTS(Topics.DISTRICTS.name(), node -> key(ReferenceParser.localUnit(node), LocalUnit::key)),
    SCHOOLS(Topics.SCHOOLS.name(), node -> key(ReferenceParser.school(node), School::key)),
    CLUSTERS(Topics.CLUSTERS.name(), node -> key(ReferenceParser.cluster(node), Cluster::key)),
    /** The exam catalogue: exam codes that reports may use. */
    EXAMS(Topics.EXAMS.name(), node -> key(ReferenceParser.exam(node), io.schoolstats.reference.Exam::key)),
    /** Clusters' scoring schemes, one per cluster and school year (the emulation league). */
    EMULATION_SCHEMES(Topics.EMULATION_SCHEMES.name(), node -> key(ReferenceParser.scheme(node),
            io.schoolstats.reference.EmulationScheme::key));

    private final String topic;
    private final Function<JsonNode, Parsed<String>> keyOf;

    ReferenceKind(String topic, Function<JsonNode, Parsed<String>> keyOf) {
        this.topic = topic;
        this.keyOf = keyOf;
    }

    /** Whether a row is always of one school year (its deletion must name the year). */
    public boolean yearRequired() {
        return this == CLUSTERS || this == EMULATION_SCHEMES;
    }

    public String topic() {
        return topic;
    }

    /** {@code schools} ... {@code emulation-schemes}: the URL's and the file's name. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Validates a row; its value is the row's key on the topic. */
    public Parsed<String> validate(JsonNode row) {
        return keyOf.apply(row);
    }

    public static Optional<ReferenceKind> fromLabel(String label) {
        for (ReferenceKind kind : values()) {
            if (kind.label().equals(label)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** The row's key on the topic: {@code id}, or {@code id|schoolYear} for a row of one school year. */
    private static <T> Parsed<String> key(Parsed<T> parsed, Function<T, RowKey> key) {
        return parsed.isValid() ? Parsed.valid(key.apply(parsed.value()).encode()) : Parsed.invalid(parsed.violations());
    }
}

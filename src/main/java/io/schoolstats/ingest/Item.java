package io.schoolstats.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One item of a submitted body: its position (the array index of a JSON array, 0 for a single
 * object, the line number of a CSV row) and its JSON.
 */
public record Item(int index, JsonNode node) {
}

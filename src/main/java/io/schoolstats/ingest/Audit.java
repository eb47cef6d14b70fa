package io.schoolstats.ingest;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Who wrote a record over HTTP, carried in its Kafka headers: the submitter ({@code school:ID} or
 * {@code operator}), the id of the token used (never the token itself) and the id of the request,
 * which the API also returns in {@code X-Request-Id} and logs. The rejection envelope keeps them.
 */
public record Audit(String submitter, String tokenId, String requestId) {
    public static final String SUBMITTER = "schoolstats-submitter";
    public static final String TOKEN_ID = "schoolstats-token-id";
    public static final String REQUEST_ID = "schoolstats-request-id";
    /** A header value longer than this is not ours: the envelope quotes no more of it. */
    private static final int MAX_VALUE_BYTES = 200;

    public Headers headers() {
        RecordHeaders headers = new RecordHeaders();
        put(headers, SUBMITTER, submitter);
        put(headers, TOKEN_ID, tokenId);
        put(headers, REQUEST_ID, requestId);
        return headers;
    }

    private static void put(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Only the audit headers of a record, each bounded: what a rejection record carries on. */
    public static Headers bounded(Headers headers) {
        RecordHeaders out = new RecordHeaders();
        of(headers).forEach((name, value) -> put(out, name, value));
        return out;
    }

    /** The audit headers of a record (bounded), name to value; empty when it has none (written straight to Kafka). */
    public static Map<String, String> of(Headers headers) {
        Map<String, String> out = new LinkedHashMap<>();
        if (headers == null) {
            return out;
        }
        for (String name : new String[] {SUBMITTER, TOKEN_ID, REQUEST_ID}) {
            Header header = headers.lastHeader(name);
            if (header != null && header.value() != null) {
                out.put(name, new String(io.schoolstats.report.Utf8.prefix(header.value(), MAX_VALUE_BYTES),
                        StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}

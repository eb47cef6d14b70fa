package io.schoolstats.report;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one Jackson configuration of the project. */
public final class Json {
    /**
     * Strict on input (duplicate keys and trailing garbage are malformed), lenient on unknown
     * fields (forward compatible), ISO text for dates and instants. A parse error quotes at most
     * {@link Quote#MAX_CHARS} characters of the input, as every message does.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .errorReportConfiguration(quoting()).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .addModule(new JavaTimeModule())
            .build();

    private Json() {
    }

    /** How much of the input a parse error may quote: as much as any message (see {@link Quote}). */
    public static ErrorReportConfiguration quoting() {
        return ErrorReportConfiguration.builder().maxErrorTokenLength(Quote.MAX_CHARS)
                .maxRawContentLength(Quote.MAX_CHARS).build();
    }
}

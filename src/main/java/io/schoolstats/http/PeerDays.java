package io.schoolstats.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest school day the other instances know. Each instance knows only the attendance days
 * of its own school tasks; the current day is the latest of all, so each asks the others (at
 * {@link ApiServer#CURRENT_DAY_PATH}) and keeps what each said last: an instance that does not
 * answer for a moment does not move the day back.
 */
public final class PeerDays {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDays.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Placement placement;
    private final Map<String, LocalDate> said = new HashMap<>();

    public PeerDays(Placement placement) {
        this.placement = placement;
    }

    /** Asks every other instance now; the latest day any of them has said, or null. */
    public LocalDate latest() {
        for (String url : placement.others()) {
            try {
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url + ApiServer.CURRENT_DAY_PATH))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                JsonNode day = Json.MAPPER.readTree(answer.body()).path("day");
                if (answer.statusCode() == 200 && !day.asText().isEmpty()) {
                    said.put(url, LocalDate.parse(day.asText()));
                }
            } catch (java.io.IOException | RuntimeException e) {
                LOG.debug("{} did not say its latest day: {}", url, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return said.values().stream().max(LocalDate::compareTo).orElse(null);
    }
}

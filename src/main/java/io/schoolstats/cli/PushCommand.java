package io.schoolstats.cli;

import io.schoolstats.ingest.Bodies;
import io.schoolstats.ingest.BodyException;
import io.schoolstats.ingest.Checked;
import io.schoolstats.ingest.Destination;
import io.schoolstats.ingest.Item;
import io.schoolstats.ingest.Validation;
import io.schoolstats.report.ReportType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "push", mixinStandardHelpOptions = true,
        description = {"Send a file of reports (CSV with a header row, or JSON: an object or an array) to the HTTP "
            + "API (--url, with the token in SCHOOLSTATS_TOKEN or --token-file) or straight to Kafka (--bootstrap-servers). Every line is checked first with "
            + "the server's own validator; invalid lines are listed and not sent, the rest are sent in batches.",
            "Exit status: 0 when every line was accepted, 2 when some were rejected, 1 when sending failed."})
final class PushCommand implements Callable<Integer> {
    @Option(names = "--type", required = true, paramLabel = "TYPE",
            description = "attendance, completion, exam, or emulation_score (an evaluator's scores of a cluster's members).")
    String type;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "A .csv or .json file.")
    Path file;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @ArgGroup(exclusive = false)
        Http http;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Send straight to Kafka.")
        String bootstrapServers;
    }

    static final class Http {
        @Option(names = "--url", required = true, paramLabel = "URL", description = "The API, e.g. http://localhost:8080.")
        String url;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "A file holding the school's or an operator's token (what 'token issue' printed); "
                    + "without it, the environment variable " + TOKEN_ENV + ". Never on the command line: every "
                    + "user of the machine can read it there (ps).")
        Path tokenFile;

        /** Refused with the reason: the token would show in {@code ps} and in the shell's history. */
        @Option(names = "--token", hidden = true, paramLabel = "TOKEN")
        String tokenOnCommandLine;

        String token() {
            return PushCommand.token(tokenFile, tokenOnCommandLine, System.getenv(TOKEN_ENV));
        }
    }

    static final String TOKEN_ENV = "SCHOOLSTATS_TOKEN";

    /** The token of --token-file, else of the environment; an error that says what to do when neither. */
    static String token(Path tokenFile, String tokenOnCommandLine, String fromEnvironment) {
        if (tokenOnCommandLine != null) {
            throw new IllegalArgumentException("--token is not accepted: a token on the command line can be read by "
                    + "every user of the machine (ps) and stays in the shell's history. Put it in the environment "
                    + "variable " + TOKEN_ENV + ", or in a file readable by you only and give --token-file FILE");
        }
        if (tokenFile != null) {
            String token;
            try {
                token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --token-file " + tokenFile + ": " + e.getMessage());
            }
            if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("--token-file " + tokenFile + " must hold one token and nothing else"
                        + (token.isEmpty() ? " (it is empty)" : ""));
            }
            return token;
        }
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.strip();
        }
        throw new IllegalArgumentException("no token: set the environment variable " + TOKEN_ENV
                + ", or give --token-file FILE (a file holding the token)");
    }

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
            description = "Reports per request or per Kafka flush (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lang", paramLabel = "LANG", defaultValue = "en", description = "Messages in en or vi (default ${DEFAULT-VALUE}).")
    String lang;

    @Override
    public Integer call() throws IOException {
        boolean scores = io.schoolstats.report.EmulationScore.LABEL.equals(type);
        ReportType reportType = scores ? null : ReportType.fromLabel(type).orElseThrow(() -> new IllegalArgumentException(
                "--type must be attendance, completion, exam or emulation_score, not '" + type + "'"));
        String token = target.http == null ? null : target.http.token(); // before the file: it may be large
        List<Item> items = read(file, false);
        // Checked here as the service will check them (its time zone is Vietnam's unless configured).
        var received = io.schoolstats.report.Received.at(java.time.Instant.now(),
                io.schoolstats.report.Received.DEFAULT_ZONE);
        // The exam catalogue and the clusters' schemes are the service's: it checks those.
        Checked checked = scores ? Validation.scores(items, received)
                : Validation.reports(reportType, items, received, code -> true);
        try (Destination destination = target.bootstrapServers != null
                ? Destination.kafka(target.bootstrapServers)
                : Destination.http(target.http.url, "/api/v1/reports/" + type, "POST", token)) {
            return send(checked, items.size(), destination, batchSize, Bodies.isCsv(file.toString()),
                    Locale.forLanguageTag(lang), System.out, System.err);
        }
    }

    static List<Item> read(Path file, boolean reference) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            return Bodies.isCsv(file.toString()) ? Bodies.csv(bytes, reference) : Bodies.json(bytes);
        } catch (BodyException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** Lists rejected lines, sends the rest with a progress bar, prints a summary; returns the exit status. */
    static int send(Checked checked, int total, Destination destination, int batchSize, boolean csv, Locale locale,
                    PrintStream out, PrintStream err) throws IOException {
        String unit = csv ? "line" : "item";
        for (Checked.Rejection r : checked.rejected()) {
            out.printf("rejected %s %d: %s%s%n", unit, r.index(), r.violation().field() == null ? ""
                    : r.violation().field() + ": ", r.violation().message(locale));
        }
        List<Checked.Accepted> accepted = checked.accepted();
        Progress progress = new Progress(err, accepted.size(), "sent", accepted.size() > batchSize);
        int sent = 0;
        try {
            for (int from = 0; from < accepted.size(); from += batchSize) {
                List<Checked.Accepted> batch = accepted.subList(from, Math.min(accepted.size(), from + batchSize));
                destination.send(batch);
                sent += batch.size();
                progress.update(sent);
            }
        } catch (IOException e) {
            out.printf("sending failed after %d of %d valid %ss: %s%n", sent, accepted.size(), unit, e.getMessage());
            return 1;
        }
        long rejectedItems = checked.rejected().stream().mapToInt(Checked.Rejection::index).distinct().count();
        out.printf("accepted %d of %d %ss, rejected %d%n", sent, total, unit, rejectedItems);
        return rejectedItems == 0 ? 0 : 2;
    }
}

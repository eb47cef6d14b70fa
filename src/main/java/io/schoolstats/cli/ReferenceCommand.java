package io.schoolstats.cli;

import io.schoolstats.ingest.Checked;
import io.schoolstats.ingest.Destination;
import io.schoolstats.ingest.Item;
import io.schoolstats.ingest.ReferenceKind;
import io.schoolstats.ingest.Validation;
import io.schoolstats.report.SchoolYear;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "reference", mixinStandardHelpOptions = true, description = "Reference data: provinces, districts, "
        + "schools, clusters, exams, emulation schemes.", subcommands = ReferenceCommand.Load.class)
final class ReferenceCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {"Load the reference files of a directory: provinces, districts (districts and communes), "
                + "schools, clusters, exams (the exam catalogue) and emulation-schemes (clusters' scoring schemes, JSON only), "
                + "each as <kind>.json (an array of rows) or <kind>.csv (a header row; for "
                + "clusters, members separated by spaces), in that order, to Kafka (--bootstrap-servers) or through "
                + "the API (--url, with an operator token in SCHOOLSTATS_TOKEN or --token-file). Rows are validated "
                + "first; invalid rows are listed and not sent.",
                "With --school-year, every row is loaded as that school year's row (the map of that year: only that "
                    + "year's figures follow it); without, rows are timeless unless they say \"schoolYear\". Exams "
                    + "are always timeless."})
    static final class Load implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The directory holding the files.")
        Path dir;

        @ArgGroup(exclusive = true, multiplicity = "1")
        PushCommand.Target target;

        @Option(names = "--school-year", paramLabel = "YYYY-YYYY",
                description = "Load the rows as the map of this school year (e.g. 2026-2027): each row gets "
                    + "\"schoolYear\" and the key id|school year. A row naming another school year is refused.")
        String schoolYear;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("no such directory: " + dir);
            }
            if (schoolYear != null && !SchoolYear.isValid(schoolYear)) {
                throw new IllegalArgumentException("--school-year must look like 2026-2027 (two consecutive years), got '"
                        + schoolYear + "'");
            }
            String token = target.http == null ? null : target.http.token();
            // Read (and stamp) every file first: a file that cannot be loaded stops the command before anything is sent.
            record FileRows(ReferenceKind kind, Path file, List<Item> items) {
            }
            List<FileRows> loads = new java.util.ArrayList<>();
            for (ReferenceKind kind : ReferenceKind.values()) {
                for (String extension : List.of(".json", ".csv")) {
                    Path file = dir.resolve(kind.label() + extension);
                    if (Files.isRegularFile(file)) {
                        List<Item> rows = PushCommand.read(file, true);
                        // An exam code is defined for every year: the catalogue has no years.
                        loads.add(new FileRows(kind, file, kind == ReferenceKind.EXAMS ? rows : forYear(file, rows, schoolYear)));
                    }
                }
            }
            if (loads.isEmpty()) {
                throw new IllegalArgumentException(dir + " holds none of provinces, districts, schools, clusters, exams, "
                        + "emulation-schemes (.json or .csv)");
            }
            int status = 0;
            for (FileRows load : loads) {
                System.out.println(load.file() + (schoolYear == null ? ":" : " (as rows of " + schoolYear + "):"));
                Checked checked = Validation.reference(load.kind(), load.items());
                boolean csv = load.file().toString().endsWith(".csv");
                try (Destination destination = target.bootstrapServers != null
                        ? Destination.kafka(target.bootstrapServers)
                        : Destination.http(target.http.url, "/api/v1/reference/" + load.kind().label(), "PUT",
                                token)) {
                    int result = PushCommand.send(checked, load.items().size(), destination, 500, csv,
                            Locale.ENGLISH, System.out, System.err);
                    if (result == 1) {
                        return 1;
                    }
                    status = Math.max(status, result);
                }
            }
            return status;
        }

        /**
         * The rows stamped with the school year; a row that names another school year stops the command
         * (a map half loaded into the wrong year would be worse than none).
         */
        static List<Item> forYear(Path file, List<Item> items, String schoolYear) {
            if (schoolYear == null) {
                return items;
            }
            for (Item item : items) {
                if (item.node() instanceof ObjectNode row && !row.hasNonNull("schoolYear")) {
                    row.put("schoolYear", schoolYear);
                } else if (item.node() instanceof ObjectNode row && !schoolYear.equals(row.get("schoolYear").asText())) {
                    throw new IllegalArgumentException(file + ": item " + item.index() + " is for school year "
                            + row.get("schoolYear").asText() + ", not " + schoolYear);
                }
            }
            return items;
        }
    }
}

package io.schoolstats.cli;

import io.schoolstats.simulate.Simulator;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Push realistic reports to any Kafka cluster: the bundled reference data with generated "
            + "schools, last school year's completion and exams, then one school day of attendance every "
            + "--day-seconds (a morning burst, a few corrections, re-sends and invalid reports), completion at the "
            + "end of May and exams after it."})
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", required = true,
            defaultValue = "${env:SCHOOLSTATS_BOOTSTRAP_SERVERS}", description = "Kafka brokers (env SCHOOLSTATS_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "500",
            description = "At most N reports per second (0: as fast as possible; default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--day-seconds", paramLabel = "S", defaultValue = "10",
            description = "Real seconds per simulated school day (default ${DEFAULT-VALUE}).")
    double daySeconds;

    @Option(names = "--start-date", paramLabel = "DATE", defaultValue = "2025-09-08",
            description = "First simulated school day (default ${DEFAULT-VALUE}).")
    LocalDate startDate;

    @Option(names = "--days", paramLabel = "N", defaultValue = "0",
            description = "Stop after N school days (default: run until stopped).")
    int days;

    @Option(names = "--schools-per-district", paramLabel = "N", defaultValue = "10",
            description = "Generated schools per district (default ${DEFAULT-VALUE}).")
    int schoolsPerDistrict;

    @Option(names = "--no-reference", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Do not send the reference data (it is sent by default).")
    boolean loadReference;

    @Option(names = "--seed", defaultValue = "2024", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws InterruptedException {
        Simulator.Options options = new Simulator.Options(rate, (long) (daySeconds * 1000), startDate, days,
                schoolsPerDistrict, loadReference, seed);
        try (Simulator simulator = new Simulator(bootstrapServers, options, System.out::println)) {
            simulator.run();
            System.out.printf("simulate: %d records sent%n", simulator.sent());
        }
        return 0;
    }
}

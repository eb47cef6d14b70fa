package io.schoolstats.cli;

import io.schoolstats.kafka.EmbeddedKafka;
import io.schoolstats.report.Received;
import io.schoolstats.service.StatsService;
import io.schoolstats.simulate.Simulator;
import java.nio.file.Path;
import java.time.LocalDate;
import io.schoolstats.auth.TokenKeys;
import io.schoolstats.auth.Tokens;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Everything on one machine, no setup: a real single-node Kafka (KRaft) inside this process, "
            + "the bundled reference data, a simulator pushing realistic reports, the stream processor, "
            + "/metrics and the HTTP API. Ctrl-C stops it; its data stays in --data-dir."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--http-port", paramLabel = "N", defaultValue = "8080", description = "HTTP port (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--bind-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the HTTP API listens on: this machine only by default, as the embedded Kafka; "
                    + "0.0.0.0 to show the demo to other machines (default ${DEFAULT-VALUE}).")
    String bindAddress;

    @Option(names = "--kafka-port", paramLabel = "N", defaultValue = "9092",
            description = "Port of the embedded Kafka (default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "schoolstats-demo",
            description = "Where the broker's log and the state stores are kept (default ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--day-seconds", paramLabel = "S", defaultValue = "10",
            description = "Real seconds per simulated school day (default ${DEFAULT-VALUE}).")
    double daySeconds;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "2000",
            description = "At most N simulated reports per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--schools-per-district", paramLabel = "N", defaultValue = "10",
            description = "Generated schools per district (default ${DEFAULT-VALUE}).")
    int schoolsPerDistrict;

    @Option(names = "--start-date", paramLabel = "DATE", defaultValue = "2025-09-08",
            description = "First simulated school day (default ${DEFAULT-VALUE}).")
    LocalDate startDate;

    @Override
    public Integer call() throws Exception {
        Demo demo = start(line -> System.out.println("  simulator: " + line));
        String base = "http://localhost:" + httpPort;
        System.out.println();
        System.out.println("schoolstats demo is running. Look at:");
        System.out.println("  " + base + "/api/v1/stats/province/01                          Hà Nội today (2025-2026 map)");
        System.out.println("  " + base + "/api/v1/stats/commune/00331                        Phường Hoàng Mai today");
        System.out.println("  " + base + "/api/v1/stats/province/08                          Tuyên Quang, with Hà Giang's schools");
        System.out.println("  " + base + "/api/v1/stats/cluster/HN-P1                        a cluster of Hanoi wards");
        System.out.println("  " + base + "/api/v1/stats/district/008?schoolYear=2024-2025    Hoàng Mai district, last year's map");
        System.out.println("  " + base + "/api/v1/stats/province/02?schoolYear=2023-2024     Hà Giang, a province until 2025");
        System.out.println("  " + base + "/api/v1/clusters/MOET-C4/ranking?schoolYear=2023-2024   MOET Cluster 4 then, ranked");
        System.out.println("  " + base + "/metrics                                           Prometheus metrics");
        System.out.println("  Kafka: " + demo.kafka.bootstrapServers()
                + "   (topics reports.*, reference.*, stats.*, reports.rejected)");
        String school = demo.simulator.world().schools().stream().filter(x -> x.school().district().equals("008"))
                .findFirst().orElseThrow().id();
        String schoolToken = demo.tokens.issueForSchool(school, Duration.ofDays(30)).token();
        String operatorToken = demo.tokens.issueForOperator(Duration.ofDays(30)).token();
        System.out.println("Schools can push reports over HTTP. A token for school " + school + " (30 days):");
        System.out.println("  " + schoolToken);
        System.out.println("  curl -X POST " + base + "/api/v1/reports/attendance -H 'Authorization: Bearer " + schoolToken
                + "' -H 'Content-Type: application/json' -d '{\"schoolId\":\"" + school
                + "\",\"date\":\"2025-09-08\",\"enrolled\":500,\"present\":480,\"revision\":5}'");
        System.out.println("An operator token (any school, reference data): " + operatorToken);
        System.out.println("Ctrl-C to stop.");
        System.out.println();
        ServeCommand.awaitShutdown(demo);
        return 0;
    }

    /** Starts the broker, the service and the simulator; closing the result stops all three. */
    Demo start(Consumer<String> log) {
        EmbeddedKafka.requireFree(httpPort, "The HTTP API");
        System.out.printf("schoolstats demo: starting an embedded Kafka on localhost:%d (data in %s) ...%n",
                kafkaPort, dataDir.toAbsolutePath());
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir.resolve("kafka"), kafkaPort).start();
        TokenKeys keys = ServiceOptions.tokenKeys(null);
        if (keys == null) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            keys = TokenKeys.single(Base64.getUrlEncoder().withoutPadding().encodeToString(random), "the demo's own secret");
        }
        StatsService service = new StatsService(new StatsService.Settings(kafka.bootstrapServers(), httpPort,
                dataDir.resolve("state"), "schoolstats-demo", Map.of(), 4, Optional.empty(),
                new StatsService.Ingestion(keys, StatsService.Ingestion.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(10)),
                bindAddress, Received.DEFAULT_ZONE, new StatsService.Instances("http://localhost:" + httpPort, 0), null)).start();
        Simulator simulator = new Simulator(kafka.bootstrapServers(), new Simulator.Options(rate,
                (long) (daySeconds * 1000), startDate, 0, schoolsPerDistrict, true, 2024), log);
        Thread simulation = new Thread(() -> {
            try {
                simulator.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                System.err.println("schoolstats demo: the simulator stopped: " + e.getMessage());
            }
        }, "schoolstats-simulator");
        simulation.setDaemon(true);
        simulation.start();
        return new Demo(kafka, service, simulator, simulation, new Tokens(keys));
    }

    /** A running demo; its tokens sign with the secret the demo generated. */
    record Demo(EmbeddedKafka kafka, StatsService service, Simulator simulator, Thread simulation, Tokens tokens)
            implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            simulation.interrupt();
            simulation.join(10_000);
            simulator.close();
            service.close();
            kafka.close();
        }
    }
}

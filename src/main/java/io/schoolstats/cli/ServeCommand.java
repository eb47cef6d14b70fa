package io.schoolstats.cli;

import io.schoolstats.service.StatsService;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the stream processor, the Prometheus metrics and the HTTP API against a Kafka cluster.",
            "Creates the topics of the contract when they are missing. Stops cleanly on SIGTERM or Ctrl-C; "
                + "started again with the same --state-dir and --application-id it resumes where it stopped."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ServiceOptions options;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> kafka = options.kafkaProperties();
        String bootstrap = options.requireBootstrapServers(kafka);
        StatsService.Settings settings = new StatsService.Settings(bootstrap, options.httpPort, options.stateDir,
                options.applicationId, kafka, options.partitions, Optional.ofNullable(options.replicationFactor),
                new StatsService.Ingestion(options.tokenKeys(), options.maxBodyBytes,
                        Duration.ofSeconds(options.ingestTimeoutSeconds), options.maxItems), options.bindAddress,
                options.timeZone, new StatsService.Instances(options.advertisedUrl, options.standbyReplicas),
                options.deadlines());
        StatsService service = new StatsService(settings).start();
        System.out.printf("schoolstats serving %s (application id %s, state in %s)%n", bootstrap,
                options.applicationId, options.stateDir.toAbsolutePath());
        String host = StatsService.Settings.ALL_INTERFACES.equals(settings.bindAddress()) ? "localhost"
                : settings.bindAddress();
        System.out.printf("  API      http://%s:%d/api/v1/stats/province/01%n", host, options.httpPort);
        System.out.printf("  metrics  http://%s:%d/metrics%n", host, options.httpPort);
        awaitShutdown(service);
        return 0;
    }

    /** Blocks until SIGTERM/SIGINT, then closes the service before the JVM exits. */
    static void awaitShutdown(AutoCloseable... resources) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "schoolstats-shutdown"));
        stopped.await();
        System.out.println("schoolstats: stopping...");
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("schoolstats: while stopping: " + e);
            }
        }
        System.out.println("schoolstats: stopped");
        closed.countDown();
    }
}

package io.schoolstats.cli;

/** Entry point of target/schoolstats.jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("schoolstats: live school statistics on Kafka Streams");
        System.out.println("The service commands (serve, demo) arrive with the service; see README.md.");
    }
}

package io.schoolstats.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of target/schoolstats.jar: one subcommand per job. */
@Command(name = "schoolstats", mixinStandardHelpOptions = true, version = "schoolstats 0.1.0",
        description = "Live school statistics: school reports aggregated per district, province and emulation "
                + "cluster on Kafka Streams, exported to Prometheus and served over HTTP.",
        subcommands = {ServeCommand.class, DemoCommand.class, SimulateCommand.class, PushCommand.class,
            ReferenceCommand.class, TokenCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: a user error prints one clear line, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("schoolstats: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (Boolean.getBoolean("schoolstats.debug")) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

package io.schoolstats.cli;

import io.schoolstats.auth.Tokens;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Access tokens for HTTP ingestion.",
        subcommands = TokenCommand.Issue.class)
final class TokenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = {"Print a signed token: for one school (it may submit that school's reports only) or for "
                + "an operator (any school, and reference data). Signed with SCHOOLSTATS_TOKEN_SECRET, or "
                + "token.secret in --config: the same secret as the server's."})
    static final class Issue implements Callable<Integer> {
        static final class Subject {
            @Option(names = "--school", paramLabel = "ID", required = true, description = "The school the token is for.")
            String school;

            @Option(names = "--operator", required = true, description = "An operator token.")
            boolean operator;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Subject subject;

        @Option(names = "--days", paramLabel = "N", description = "Valid for N days (default: no expiry).")
        Integer days;

        @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:SCHOOLSTATS_CONFIG}",
                description = "A properties file with token.secret (env SCHOOLSTATS_CONFIG).")
        Path config;

        @Override
        public Integer call() {
            String secret = ServiceOptions.tokenSecret(config);
            if (secret == null) {
                throw new IllegalArgumentException("no token secret: set SCHOOLSTATS_TOKEN_SECRET (or token.secret in "
                        + "--config), the same as the server's");
            }
            if (days != null && days <= 0) {
                throw new IllegalArgumentException("--days must be at least 1");
            }
            Instant now = Instant.now();
            Instant expires = days == null ? null : now.plus(Duration.ofDays(days));
            System.out.println(new Tokens(secret).issue(new Tokens.Claims(subject.operator ? null : subject.school, now,
                    expires)));
            return 0;
        }
    }
}

package io.schoolstats.cli;

import io.schoolstats.auth.TokenKeys;
import io.schoolstats.auth.Tokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Access tokens for HTTP ingestion.",
        subcommands = TokenCommand.Issue.class)
final class TokenCommand implements Runnable {
    /** Upper bound of --days: ten years is already longer than anyone should trust a bearer token. */
    static final int MAX_DAYS = 3650;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = {"Print a signed token (a JWT) on the last line of standard output: for one school (it may "
                + "submit that school's reports only) or for an operator (any school, reference data). Its id and "
                + "expiry go to standard error.",
                "Signed with the first key of SCHOOLSTATS_TOKEN_KEYS (KEY_ID:SECRET,...), or with "
                    + "SCHOOLSTATS_TOKEN_SECRET; or token.keys / token.secret in --config: the same keys as the "
                    + "server's. Every secret is at least 32 bytes.",
                "Every token expires: by default a school's after " + Tokens.SCHOOL_DAYS + " days, an operator's after "
                    + Tokens.OPERATOR_DAYS + " days."})
    static final class Issue implements Callable<Integer> {
        static final class Subject {
            @Option(names = "--school", paramLabel = "ID", required = true, description = "The school the token is for.")
            String school;

            @Option(names = "--operator", required = true, description = "An operator token.")
            boolean operator;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Subject subject;

        @Option(names = "--days", paramLabel = "N",
                description = "Valid for N days, 1 to " + MAX_DAYS + " (default: " + Tokens.SCHOOL_DAYS + " for a school, "
                    + Tokens.OPERATOR_DAYS + " for an operator).")
        Integer days;

        @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:SCHOOLSTATS_CONFIG}",
                description = "A properties file with token.keys or token.secret (env SCHOOLSTATS_CONFIG).")
        Path config;

        @Override
        public Integer call() {
            TokenKeys keys = ServiceOptions.tokenKeys(config);
            if (keys == null) {
                throw new IllegalArgumentException("no token key: set SCHOOLSTATS_TOKEN_SECRET or SCHOOLSTATS_TOKEN_KEYS "
                        + "(or token.secret / token.keys in --config), the same as the server's");
            }
            if (days != null && (days < 1 || days > MAX_DAYS)) {
                throw new IllegalArgumentException("--days must be 1 to " + MAX_DAYS + ", not " + days);
            }
            Tokens tokens = new Tokens(keys);
            Tokens.Issued issued = subject.operator
                    ? tokens.issueForOperator(days == null ? Tokens.OPERATOR_VALIDITY : Duration.ofDays(days))
                    : tokens.issueForSchool(subject.school, days == null ? Tokens.SCHOOL_VALIDITY : Duration.ofDays(days));
            Tokens.Claims claims = issued.claims();
            System.err.printf("token id %s (%s%s), signed with key %s, expires %s%n", claims.tokenId(),
                    claims.role().label(), claims.operator() ? "" : " " + claims.school(), claims.keyId(),
                    claims.expiresAt());
            System.err.flush();
            System.out.println(issued.token());
            return 0;
        }
    }
}

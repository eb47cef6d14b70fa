package io.schoolstats.cli;

import io.schoolstats.auth.Revocation;
import io.schoolstats.auth.TokenKeys;
import io.schoolstats.auth.Tokens;
import io.schoolstats.contract.Topics;
import io.schoolstats.reference.UnitId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Access tokens of the HTTP API: schools and operators submit, a unit's office reads its unit's "
            + "per-school detail.",
        subcommands = {TokenCommand.Issue.class, TokenCommand.Revoke.class})
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
                + "submit that school's reports only), for the office of one unit (it may read which schools of "
                + "that unit have not reported, and submits nothing), for the evaluators of one emulation cluster (they "
                + "submit scores of its members) or for an operator (any school, any unit, "
                + "reference data, revoking tokens). Its id and expiry go to standard error: note them, to revoke it "
                + "later.",
                "Signed with the first key of SCHOOLSTATS_TOKEN_KEYS (KEY_ID:SECRET,...), or with "
                    + "SCHOOLSTATS_TOKEN_SECRET; or token.keys / token.secret in --config: the same keys as the "
                    + "server's. Every secret is at least 32 bytes.",
                "Every token expires: by default a school's after " + Tokens.SCHOOL_DAYS + " days, a unit's after "
                    + Tokens.UNIT_DAYS + " days, an evaluator's after " + Tokens.EVALUATOR_DAYS + " days, an operator's after " + Tokens.OPERATOR_DAYS + " days."})
    static final class Issue implements Callable<Integer> {
        static final class Subject {
            @Option(names = "--school", paramLabel = "ID", required = true, description = "The school the token is for.")
            String school;

            @Option(names = "--unit", paramLabel = "SCOPE:CODE", required = true, converter = UnitConverter.class,
                    description = "The unit whose office the token is for: district, commune, province or cluster, "
                        + "then its code (e.g. district:001, cluster:HN-C1).")
            UnitId unit;

            @Option(names = "--evaluator", paramLabel = "CLUSTER", required = true,
                    description = "The emulation cluster whose evaluators the token is for (e.g. HN-C1): it may "
                        + "submit scores of that cluster's members (POST /api/v1/reports/emulation_score) only.")
            String evaluator;

            @Option(names = "--operator", required = true, description = "An operator token.")
            boolean operator;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Subject subject;

        @Option(names = "--days", paramLabel = "N",
                description = "Valid for N days, 1 to " + MAX_DAYS + " (default: " + Tokens.SCHOOL_DAYS + " for a school, "
                    + Tokens.UNIT_DAYS + " for a unit, " + Tokens.EVALUATOR_DAYS + " for an evaluator, " + Tokens.OPERATOR_DAYS + " for an operator).")
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
            Tokens.Issued issued;
            if (subject.operator) {
                issued = tokens.issueForOperator(days == null ? Tokens.OPERATOR_VALIDITY : Duration.ofDays(days));
            } else if (subject.evaluator != null) {
                issued = tokens.issueForEvaluator(subject.evaluator,
                        days == null ? Duration.ofDays(Tokens.EVALUATOR_DAYS) : Duration.ofDays(days));
            } else if (subject.unit != null) {
                issued = tokens.issueForUnit(subject.unit.scope(), subject.unit.code(),
                        days == null ? Tokens.UNIT_VALIDITY : Duration.ofDays(days));
            } else {
                issued = tokens.issueForSchool(subject.school, days == null ? Tokens.SCHOOL_VALIDITY : Duration.ofDays(days));
            }
            Tokens.Claims claims = issued.claims();
            String holder = switch (claims.role()) {
                case SCHOOL -> " " + claims.school();
                case UNIT, EVALUATOR -> " " + claims.unit();
                case OPERATOR -> "";
            };
            System.err.printf("token id %s (%s%s), signed with key %s, expires %s%n", claims.tokenId(),
                    claims.role().label(), holder, claims.keyId(), claims.expiresAt());
            System.err.printf("to revoke it: schoolstats token revoke --id %s --expires-at %s --bootstrap-servers ...%n",
                    claims.tokenId(), claims.expiresAt());
            System.err.flush();
            System.out.println(issued.token());
            return 0;
        }
    }

    /** {@code SCOPE:CODE} read at parse time, so that a mistake is a usage error (exit code 2) naming the option. */
    static final class UnitConverter implements ITypeConverter<UnitId> {
        @Override
        public UnitId convert(String value) {
            try {
                return UnitId.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = {"Revoke one token by its id (as 'token issue' printed it): every serve instance of the "
                + "cluster refuses it (401 \"the token was revoked\") within a second or so, and after a restart too. "
                + "It is written to the compacted topic tokens.revoked, which every instance reads (serve creates "
                + "it).",
                "Also over HTTP with an operator token: POST /api/v1/tokens/revoked {\"tokenId\":\"...\"}."})
    static final class Revoke implements Callable<Integer> {
        @Option(names = "--id", required = true, paramLabel = "TOKEN_ID", description = "The token's id (its jti).")
        String tokenId;

        @Option(names = "--expires-at", paramLabel = "INSTANT",
                description = "The token's expiry as 'token issue' printed it (e.g. 2027-03-05T10:00:00Z): after it the "
                    + "servers forget the revocation, the token being expired anyway. Leave it out when unsure: the "
                    + "revocation is then kept for good.")
        String expiresAt;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the record (one line).")
        String reason;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
                defaultValue = "${env:SCHOOLSTATS_BOOTSTRAP_SERVERS}",
                description = "Kafka brokers of the service (env SCHOOLSTATS_BOOTSTRAP_SERVERS, or "
                    + "kafka.bootstrap.servers in --config).")
        String bootstrapServers;

        @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:SCHOOLSTATS_CONFIG}",
                description = "A properties file: kafka.* properties pass to the Kafka producer (env SCHOOLSTATS_CONFIG).")
        Path config;

        @Override
        public Integer call() throws InterruptedException {
            Revocation revocation = new Revocation(tokenId, Instant.now(), Revocation.instant(expiresAt, "--expires-at"),
                    reason);
            Map<String, String> kafka = ServiceOptions.kafkaProperties(config);
            String bootstrap = ServiceOptions.requireBootstrapServers(bootstrapServers, kafka);
            write(bootstrap, kafka, revocation);
            System.out.println("revoked token " + revocation.tokenId() + (revocation.expiresAt() == null
                    ? " (kept for good)" : " (until it expires at " + revocation.expiresAt() + ")")
                    + ": every instance refuses it from now on");
            return 0;
        }

        static void write(String bootstrapServers, Map<String, String> kafka, Revocation revocation)
                throws InterruptedException {
            Properties props = io.schoolstats.kafka.ProducerSettings.of(bootstrapServers, kafka);
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
            String topic = Topics.REVOKED_TOKENS.name();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, revocation.tokenId(), revocation.toJson()))
                        .get(60, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                throw new IllegalStateException("the revocation was not written to " + topic + " on " + bootstrapServers
                        + " (does the topic exist? serve creates it at start): " + cause.getMessage(), e);
            }
        }
    }
}

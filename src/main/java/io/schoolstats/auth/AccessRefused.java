package io.schoolstats.auth;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;

/**
 * A read refused by {@link ReadAccess}: {@link #status()} is the HTTP answer ({@code 401} when the
 * caller is not known, {@code 403} when it is known and may not read this), the message says why
 * and what to do, in English ({@link #getMessage()}) or the language asked ({@link #message(Locale)}).
 */
public final class AccessRefused extends Exception {
    private static final long serialVersionUID = 1L;
    private static final String BUNDLE = "io.schoolstats.auth.ReadAccessMessages";

    /** Why the read was refused. */
    public enum Why {
        /** No Authorization header. */
        NO_TOKEN(401),
        /** An Authorization header that is not {@code Bearer <token>}. */
        NOT_BEARER(401),
        /** A token refused by {@link Tokens#verify}: see {@link #tokenReason()}. */
        INVALID_TOKEN(401),
        /** A school's token: it submits, it does not read per-school detail. */
        SCHOOL_TOKEN(403),
        /** A unit's token for another unit (another code, or the same code at another scope). */
        OTHER_UNIT(403);

        private final int status;

        Why(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Why why;
    private final Tokens.Reason tokenReason;
    private final String[] arguments;

    /**
     * @param asked       the unit asked, {@code SCOPE:CODE}
     * @param tokenText   what the token said was wrong ({@link Why#INVALID_TOKEN}), or null
     * @param tokenHolder whom the token is for ({@code HN-1}, {@code district:001}), or null
     */
    AccessRefused(Why why, Tokens.Reason tokenReason, String asked, String tokenText, String tokenHolder) {
        super(format(why, tokenReason, Locale.ROOT, new String[] {asked, tokenText, tokenHolder}));
        this.why = why;
        this.tokenReason = tokenReason;
        this.arguments = new String[] {asked, tokenText, tokenHolder};
    }

    /** 401 or 403. */
    public int status() {
        return why.status();
    }

    public Why why() {
        return why;
    }

    /** Why {@link Tokens#verify} refused the token, for {@link Why#INVALID_TOKEN}. */
    public Optional<Tokens.Reason> tokenReason() {
        return Optional.ofNullable(tokenReason);
    }

    /** The message in {@code locale} when there is a translation ({@code vi}), else in English. */
    public String message(Locale locale) {
        return format(why, tokenReason, locale, arguments);
    }

    /**
     * The {@code WWW-Authenticate} header to answer with (RFC 6750 section 3): a client learns
     * whether to send a token, another token, or one with more rights.
     */
    public String challenge() {
        return switch (why) {
            case NO_TOKEN, NOT_BEARER -> "Bearer";
            case INVALID_TOKEN -> "Bearer error=\"invalid_token\"";
            case SCHOOL_TOKEN, OTHER_UNIT -> "Bearer error=\"insufficient_scope\"";
        };
    }

    private static String format(Why why, Tokens.Reason tokenReason, Locale locale, String[] arguments) {
        // No fallback to the JVM's default locale: a server running in Vietnamese still answers English by default.
        ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        String key = why.name().toLowerCase(Locale.ROOT) + (tokenReason == null ? "" : "." + tokenReason.name());
        return new MessageFormat(bundle.getString(key), locale).format(arguments);
    }
}

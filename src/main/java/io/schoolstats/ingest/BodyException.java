package io.schoolstats.ingest;

/** A body that cannot be read as items at all (not JSON, not CSV, no header). */
public final class BodyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String vietnamese;

    public BodyException(String message, String vietnamese) {
        super(message);
        this.vietnamese = vietnamese;
    }

    public String message(boolean inVietnamese) {
        return inVietnamese ? vietnamese : getMessage();
    }
}

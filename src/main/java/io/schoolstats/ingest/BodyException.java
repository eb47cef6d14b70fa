package io.schoolstats.ingest;

/**
 * A body that cannot be read as items (not JSON, not CSV, no header) or that breaks a limit on
 * submitted bodies; where the fault lies in one item, its index (or CSV line) and field.
 */
public final class BodyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String vietnamese;
    private final Integer index;
    private final String field;

    public BodyException(String message, String vietnamese) {
        this(null, null, message, vietnamese);
    }

    /** @param index the item (array index, CSV line) at fault, or null; @param field its field, or null */
    public BodyException(Integer index, String field, String message, String vietnamese) {
        super(message);
        this.vietnamese = vietnamese;
        this.index = index;
        this.field = field;
    }

    public String message(boolean inVietnamese) {
        return inVietnamese ? vietnamese : getMessage();
    }

    public Integer index() {
        return index;
    }

    public String field() {
        return field;
    }
}

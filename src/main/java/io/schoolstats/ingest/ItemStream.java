package io.schoolstats.ingest;

import java.io.Closeable;
import java.io.IOException;

/**
 * A body's items, read one at a time as the body streams in, so that a reader can stop at the
 * first item over a limit and never holds more than one item's tree.
 */
public interface ItemStream extends Closeable {
    /** The next item, or null after the last. */
    Item next() throws BodyException, IOException;
}

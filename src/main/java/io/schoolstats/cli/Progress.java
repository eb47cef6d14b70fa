package io.schoolstats.cli;

import java.io.PrintStream;

/** A one-line progress bar on standard error, for files large enough to wait on. */
final class Progress {
    private final PrintStream out;
    private final long total;
    private final String what;
    private final boolean shown;

    Progress(PrintStream out, long total, String what, boolean shown) {
        this.out = out;
        this.total = total;
        this.what = what;
        this.shown = shown && total > 0;
    }

    void update(long done) {
        if (!shown) {
            return;
        }
        int width = 30;
        int filled = (int) (width * done / total);
        out.printf("\r[%s%s] %3d%% %,d/%,d %s", "#".repeat(filled), ".".repeat(width - filled), 100 * done / total, done,
                total, what);
        if (done >= total) {
            out.println();
        }
        out.flush();
    }
}

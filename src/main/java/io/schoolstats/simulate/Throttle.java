package io.schoolstats.simulate;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Keeps a loop at or under a rate of operations per second (0 or less: unlimited). */
final class Throttle {
    private final double nanosPerPermit;
    private long next = System.nanoTime();

    Throttle(double perSecond) {
        this.nanosPerPermit = perSecond <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perSecond;
    }

    void acquire() {
        if (nanosPerPermit == 0) {
            return;
        }
        long now = System.nanoTime();
        if (next > now) {
            LockSupport.parkNanos(next - now);
        } else if (now - next > TimeUnit.SECONDS.toNanos(1)) {
            next = now; // do not burst to catch up after a pause
        }
        next += (long) nanosPerPermit;
    }
}

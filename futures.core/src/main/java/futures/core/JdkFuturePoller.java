package futures.core;

import java.lang.System.Logger.Level;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches the JDK futures that have no completion hook (a {@code FutureTask}, a
 * {@code ForkJoinTask}, any plain {@link java.util.concurrent.Future}) for their mirrors made by
 * {@link Futures#from(java.util.concurrent.Future)}, with one shared daemon thread for all of them,
 * never a thread per future.
 *
 * <p>Each watched future is checked with {@code isDone()} on its own schedule: first
 * {@value #FIRST_MILLIS} ms after it is registered, then at intervals that double up to
 * {@value #MAX_MILLIS} ms. So a future that completes soon is noticed soon, and the cost of a
 * long-running one falls to one {@code isDone()} call every {@value #MAX_MILLIS} ms. The price is
 * latency: a mirror completes up to about its source's age (at most {@value #MAX_MILLIS} ms) after
 * its source. Sources with a completion hook ({@code CompletableFuture}, any
 * {@code CompletionStage}, this library's futures) never come here and have no latency.
 *
 * <p>The thread is a platform daemon thread, started on first use and parked in
 * {@link DelayQueue#take()} while nothing is due. It is not a virtual thread on purpose: virtual
 * threads share a few carrier threads, and a program whose virtual threads pin or saturate them
 * would starve the poller and so every mirror. A daemon never keeps the JVM alive.
 *
 * <p>Invariants: {@code due} holds one entry per watched source whose mirror was not done when the
 * entry was queued; only the poller thread takes entries, so an entry is checked by one thread at
 * a time. An entry is dropped once its mirror is done, whoever completed it (the source, or a
 * cancel through the mirror). A source whose {@code isDone()} or {@code get} throws fails its
 * mirror with that exception rather than stopping the poller.
 */
final class JdkFuturePoller {
    static final long FIRST_MILLIS = 1;
    static final long MAX_MILLIS = 50;

    private static final DelayQueue<Entry> due = new DelayQueue<>();
    private static final AtomicInteger threadsStarted = new AtomicInteger();

    private JdkFuturePoller() {}

    /** Starts watching {@code source} for {@code mirror}. */
    static void watch(Mirror<?> mirror, java.util.concurrent.Future<?> source) {
        due.add(new Entry(mirror, source));
        Holder.ensureStarted();
    }

    /** How many sources are watched now; for tests and toString. */
    static int watched() {
        return due.size();
    }

    /** How many poller threads were ever started: at most one. For tests. */
    static int threadsStarted() {
        return threadsStarted.get();
    }

    /** Starts the poller thread once, on first use, through class initialization. */
    private static final class Holder {
        static {
            Thread t = new Thread(JdkFuturePoller::loop, "futures-jdk-future-poller");
            t.setDaemon(true);
            t.start();
            threadsStarted.incrementAndGet();
        }

        static void ensureStarted() {
            // class initialization above did the work
        }
    }

    private static void loop() {
        while (true) {
            Entry e;
            try {
                e = due.take();
            } catch (InterruptedException ignored) {
                continue; // nobody should interrupt the poller; it keeps serving
            }
            try {
                if (e.check()) {
                    e.backOff();
                    due.add(e);
                }
            } catch (Throwable t) {
                Logs.log(JdkFuturePoller.class, Level.ERROR, "watching a JDK future failed", t);
            }
        }
    }

    /** One watched source and its schedule; touched only by the poller thread once queued. */
    private static final class Entry implements Delayed {
        private final Mirror<?> mirror;
        private final java.util.concurrent.Future<?> source;
        private long intervalNanos = TimeUnit.MILLISECONDS.toNanos(FIRST_MILLIS);
        private long dueAt = System.nanoTime() + intervalNanos;

        Entry(Mirror<?> mirror, java.util.concurrent.Future<?> source) {
            this.mirror = mirror;
            this.source = source;
        }

        /** @return true if the source must be checked again later */
        boolean check() {
            if (mirror.done()) {
                return false;
            }
            try {
                return !(source.isDone() && mirror.settleFrom(source));
            } catch (RuntimeException | Error broken) {
                mirror.tryFail(broken);
                return false;
            }
        }

        void backOff() {
            intervalNanos = Math.min(intervalNanos * 2, TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS));
            dueAt = System.nanoTime() + intervalNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueAt - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueAt, ((Entry) o).dueAt);
        }
    }
}

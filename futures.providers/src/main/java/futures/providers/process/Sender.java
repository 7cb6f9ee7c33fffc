package futures.providers.process;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes to workers' channels on behalf of threads the pool does not own.
 *
 * <p>Why: a worker's {@code SocketChannel} is an interruptible channel, so a thread interrupted
 * <em>during</em> a blocking write closes it, and the worker, seeing its channel end, exits and
 * breaks the pool. A user's thread that calls {@code submit} may be interrupted at any moment (by
 * {@code shutdownNow} or {@code invokeAll} of an outer JDK executor, say), and one such interrupt
 * must not break a pool every other caller depends on. So a user's thread only queues the write
 * here; this class's own thread, which nothing interrupts, makes it. The pool's own threads (the
 * readers of the workers' replies) still write directly: they clear their status and nothing
 * interrupts them.
 *
 * <p>One platform daemon thread, started on first use; it ends after {@link #IDLE_MILLIS} without
 * work, and the next write starts a new one. Invariant, guarded by {@code this}: {@code thread} is
 * non-null while a thread is running or about to run {@link #loop}, and a thread sets it to null
 * only after finding the queue empty under the same monitor; a poster adds to the queue first and
 * checks {@code thread} after, under the monitor, so a write is never left queued with no thread.
 */
final class Sender {
    static final long IDLE_MILLIS = 2_000;

    private final String name;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private Thread thread;

    Sender(String name) {
        this.name = name;
    }

    /**
     * Queues {@code write} to run in this sender's thread, in the order posted. If that thread
     * cannot be started (out of memory for its stack, a thread limit), the writes queued so far
     * are made in the caller's thread instead, as before this class existed: a write exposed to
     * the caller's interrupts is better than no write at all, which would leave the task's future
     * running forever.
     */
    void post(Runnable write) {
        queue.add(write);
        synchronized (this) {
            if (thread == null) {
                Thread t = new Thread(this::loop, name);
                t.setDaemon(true);
                try {
                    t.start();
                    thread = t;
                } catch (Throwable e) {
                    for (Runnable w; (w = queue.poll()) != null; ) {
                        w.run();
                    }
                }
            }
        }
    }

    private void loop() {
        while (true) {
            Runnable write;
            try {
                write = queue.poll(IDLE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // nothing interrupts this thread on purpose; the status is now clear
            }
            if (write == null) {
                synchronized (this) {
                    if (queue.isEmpty()) {
                        thread = null;
                        return;
                    }
                }
                continue;
            }
            Thread.interrupted();
            try {
                write.run();
            } catch (RuntimeException | Error e) {
                // a write's own failure is its business (the pool sees the channel end); keep serving
            }
        }
    }
}

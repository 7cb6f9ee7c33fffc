package futures.providers;

import java.util.Collection;

/**
 * What the built-in pools share. Not API: module {@code futures.providers} exports no package.
 */
public final class PoolSupport {
    private PoolSupport() {}

    /** The error for {@code shutdown(wait=true)} called from one of the pool's own tasks. */
    public static IllegalStateException shutdownFromOwnTask() {
        return new IllegalStateException(
                "shutdown(wait=true) called from a task of this executor would wait for itself; use shutdown(false)");
    }

    /**
     * Joins every thread, going on waiting through interrupts, as the reference's
     * {@code shutdown(wait=True)} does.
     *
     * @return whether the calling thread was interrupted meanwhile; the caller restores the flag
     */
    public static boolean joinUninterruptibly(Collection<Thread> threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        return interrupted;
    }
}

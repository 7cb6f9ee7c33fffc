package futures.providers;

import java.util.Collection;

/**
 * What the built-in pools share. Not API: module {@code futures.providers} exports no package.
 */
public final class PoolSupport {
    private PoolSupport() {}

    /**
     * The pools' logging. Implements {@link System.Logger} (abstract, never instantiated) so that
     * the JDK, which finds a record's source by walking the stack past every class implementing
     * {@code System.Logger}, names the pool method that called, not this helper.
     */
    public abstract static class Log implements System.Logger {
        private Log() {}

        /**
         * Logs that a pool's initializer threw, as CPython's {@code LOGGER.critical("Exception in
         * initializer:", exc_info=True)} does: level ERROR (System.Logger has no CRITICAL), to the
         * logger named after {@code pool}, with the exception and its stack trace. The pools call
         * it once per pool, when the failure breaks it. Never throws: it runs on the path that
         * breaks the pool, which must go on.
         */
        public static void initializerFailed(Class<?> pool, Throwable thrown) {
            try {
                System.getLogger(pool.getName()).log(System.Logger.Level.ERROR, "Exception in initializer:", thrown);
            } catch (Throwable ignored) {
                // logging must not stop the pool from breaking cleanly
            }
        }
    }

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

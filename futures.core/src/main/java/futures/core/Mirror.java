package futures.core;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A library {@link Future} whose outcome is copied from another future, its <em>source</em>: a JDK
 * {@link CompletionStage} or {@link java.util.concurrent.Future} ({@link Futures#from}), or a
 * library future seen through the {@code ExecutorService} view.
 *
 * <p>Invariant: a mirror is completed only from its source (by the source's hook, by the shared
 * poller, or by a cancel that the source accepted), never by a caller, so it never claims an
 * outcome its source did not have. {@link #setResult}, {@link #setException} and
 * {@link #setRunningOrNotifyCancel} therefore throw. A mirror stays PENDING until its source is
 * done ({@link #running()} is false: a JDK future does not say whether its call has started).
 * Completion itself is the base class's single CAS, so a late copy from the source does nothing.
 *
 * @param <T> the type of the value
 */
abstract class Mirror<T> extends Future<T> {

    /** The source, for messages. */
    abstract Object source();

    /** Thrown by the executor-only setters: only the source completes a mirror. */
    private InvalidStateException readOnly(String method) {
        return new InvalidStateException(method + " is not allowed on a mirror of " + source()
                + "; it is completed only by its source");
    }

    /** @throws InvalidStateException always: only the source completes a mirror */
    @Override
    public final boolean setRunningOrNotifyCancel() {
        throw readOnly("setRunningOrNotifyCancel");
    }

    /** @throws InvalidStateException always: only the source completes a mirror */
    @Override
    public final void setResult(T value) {
        throw readOnly("setResult");
    }

    /** @throws InvalidStateException always: only the source completes a mirror */
    @Override
    public final void setException(Throwable exception) {
        throw readOnly("setException");
    }

    /**
     * Copies the outcome of a done JDK future, without blocking.
     *
     * @return false if the source was not done after all (look again later)
     */
    @SuppressWarnings("unchecked")
    final boolean settleFrom(java.util.concurrent.Future<?> src) {
        Object value;
        try {
            value = src.get(0, TimeUnit.NANOSECONDS);
        } catch (CancellationException e) {
            cancelIfPending();
            return true;
        } catch (ExecutionException e) {
            tryFail(e.getCause() != null ? e.getCause() : e);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException | Error e) { // a broken get(): report it rather than hang
            tryFail(e);
            return true;
        }
        trySet((T) value);
        return true;
    }

    // ------------------------------------------------------------------ mirrors of JDK futures

    /**
     * A mirror of a JDK future, for {@link Futures#from}: Python's cancel semantics, passed on to
     * the source when it is a {@link java.util.concurrent.Future}.
     */
    static final class OfJdk<T> extends Mirror<T> {
        private final Object source;
        /** The source as a JDK future, to cancel; null for a bare CompletionStage. */
        private final java.util.concurrent.Future<?> cancellable;

        private OfJdk(Object source, java.util.concurrent.Future<?> cancellable) {
            this.source = source;
            this.cancellable = cancellable;
        }

        /** A mirror completed by the stage's own completion hook. */
        static <T> Future<T> ofStage(CompletionStage<T> stage) {
            Objects.requireNonNull(stage, "stage");
            OfJdk<T> m = new OfJdk<>(stage, stage instanceof java.util.concurrent.Future<?> f ? f : null);
            stage.whenComplete((value, failure) -> {
                if (failure == null) {
                    m.trySet(value);
                } else if (failure instanceof CancellationException) {
                    m.cancelIfPending(); // the stage itself was cancelled
                } else {
                    // As CompletableFuture.get() does: a failure carried from an earlier stage
                    // arrives wrapped; the mirror reports the original exception.
                    m.tryFail(failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure);
                }
            });
            return m;
        }

        /** A mirror of a future with no completion hook: settled now if done, else by the poller. */
        static <T> Future<T> ofPlain(java.util.concurrent.Future<T> future) {
            OfJdk<T> m = new OfJdk<>(future, future);
            if (!(future.isDone() && m.settleFrom(future))) {
                JdkFuturePoller.watch(m, future);
            }
            return m;
        }

        @Override
        Object source() {
            return source;
        }

        /** {@code cancel(false)}: never interrupts. */
        @Override
        public boolean cancel() {
            return cancel(false);
        }

        /**
         * Cancels the source, if it is a JDK future that accepts the cancel, and then this mirror.
         * When the source is done or refuses, or is a bare {@link CompletionStage} (which cannot be
         * cancelled, such as {@code CompletableFuture.minimalCompletionStage()}), returns false and leaves this mirror to follow the source, as Python's
         * {@code cancel()} does for a call that is running. True if this mirror is (now) cancelled.
         */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done()) {
                return cancelled();
            }
            if (cancellable == null) {
                return false;
            }
            try {
                if (cancellable.cancel(mayInterruptIfRunning) || cancellable.isCancelled()) {
                    cancelIfPending();
                } else if (cancellable.isDone()) {
                    settleFrom(cancellable); // done already: follow it now, so the answer is final
                }
            } catch (UnsupportedOperationException readOnlyStage) {
                // CompletableFuture.minimalCompletionStage(): a Future that refuses cancel
                return cancelled();
            }
            return cancelled();
        }

        @Override
        public String toString() {
            return super.toString() + " mirroring " + source.getClass().getName();
        }
    }
}

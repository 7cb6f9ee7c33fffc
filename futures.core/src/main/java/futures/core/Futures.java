package futures.core;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Python's module functions {@code wait} and {@code as_completed}.
 *
 * <p>Both take futures from any executors, or from none; ignore duplicates (a future given twice
 * is reported once); and leave no waiter behind on a future once they stop watching it.
 */
public final class Futures {

    /** A timeout that never runs out, for the overloads that take one; Python's {@code None}. */
    public static final Duration NO_TIMEOUT = ChronoUnit.FOREVER.getDuration();

    /** Removes the waiters of abandoned asCompleted and map iterators. */
    static final Cleaner CLEANER = Cleaner.create();

    private Futures() {}

    /**
     * {@code wait(fs, NO_TIMEOUT, ALL_COMPLETED)}: waits, with no limit, until every future is done.
     *
     * <p>As {@link #wait(Collection, Duration, ReturnWhen)}, it throws {@link WaitInterruptedException} on an interrupt,
     * {@link NullPointerException} for a null argument or future.
     *
     * @param <F> the type of the futures
     * @param fs the futures; duplicates are ignored
     * @return every future in {@code done()}
     */
    public static <F extends Future<?>> DoneAndNotDone<F> wait(Collection<? extends F> fs) {
        return wait(fs, NO_TIMEOUT, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * {@code wait(fs, NO_TIMEOUT, returnWhen)}: waits, with no limit, for the {@code returnWhen}
     * condition.
     *
     * <p>As {@link #wait(Collection, Duration, ReturnWhen)}, it throws {@link WaitInterruptedException} on an interrupt,
     * {@link NullPointerException} for a null argument or future.
     *
     * @param <F> the type of the futures
     * @param fs the futures; duplicates are ignored
     * @param returnWhen when to return
     * @return the futures that were done when it returned, and the others
     */
    public static <F extends Future<?>> DoneAndNotDone<F> wait(Collection<? extends F> fs, ReturnWhen returnWhen) {
        return wait(fs, NO_TIMEOUT, returnWhen);
    }

    /**
     * {@code wait(fs, timeout, ALL_COMPLETED)}: waits until every future is done or the timeout
     * passes; a timeout is not an error, the unfinished futures are in {@code notDone()}.
     *
     * <p>As {@link #wait(Collection, Duration, ReturnWhen)}, it throws {@link WaitInterruptedException} on an interrupt,
     * {@link NullPointerException} for a null argument or future.
     *
     * @param <F> the type of the futures
     * @param fs the futures; duplicates are ignored
     * @param timeout the most to wait; {@link #NO_TIMEOUT} for no limit
     * @return the futures that were done when it returned, and the others
     */
    public static <F extends Future<?>> DoneAndNotDone<F> wait(Collection<? extends F> fs, Duration timeout) {
        return wait(fs, timeout, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * Waits for the futures to complete, as {@code returnWhen} says, for at most {@code timeout}.
     * Returns on timeout too, without throwing: whatever had not completed is in
     * {@link DoneAndNotDone#notDone()}.
     *
     * @param <F> the type of the futures
     * @param fs the futures; duplicates are ignored
     * @param timeout the most to wait; {@link #NO_TIMEOUT} for no limit; zero or negative for none
     * @param returnWhen when to return
     * @return the futures that completed and those that had not, each set in the order given
     * @throws WaitInterruptedException if the thread is interrupted while waiting (its flag stays set)
     * @throws DeadlockException if called inside a call of an executor that detects deadlocks and
     *     the wait can never end (docs/deadlocks.md): for ALL_COMPLETED, one of the futures can
     *     never complete; otherwise none of them can
     * @throws NullPointerException if an argument or a future is null
     */
    public static <F extends Future<?>> DoneAndNotDone<F> wait(
            Collection<? extends F> fs, Duration timeout, ReturnWhen returnWhen) {
        Objects.requireNonNull(returnWhen, "returnWhen");
        long nanos = Future.toNanos(timeout);
        FutureSet<F> unique = FutureSet.distinct(fs);
        int seenDone = unique.doneWhenBuilt();
        if (nanos <= 0 || seenDone == unique.size()) {
            // no waiting (no time, or all done: done never reverts): what distinct saw is the one
            // observation of each future
            return partition(unique, seenDone);
        }
        if (!satisfied(unique, returnWhen)) {
            new Waiter(unique, returnWhen).await(nanos);
        }
        return partition(unique, -1); // look again: the condition held at a later observation
    }

    /**
     * Splits {@code unique} into done and not done, each in the given order. When every future is
     * on one side (the common case: a zero timeout over pending futures, or ALL_COMPLETED), that
     * side is {@code unique} itself and nothing is copied. Each future lands on the side of one
     * observation of it: the one {@code distinct} made while it built {@code unique} when
     * {@code seenDone} counts those that were done then (no wait since), or a new one when
     * {@code seenDone} is -1.
     */
    private static <F extends Future<?>> DoneAndNotDone<F> partition(FutureSet<F> unique, int seenDone) {
        int doneCount = seenDone;
        if (doneCount < 0) {
            doneCount = 0;
            for (F f : unique) {
                if (f.done()) {
                    doneCount++;
                }
            }
        }
        if (doneCount == 0) {
            return new DoneAndNotDone<>(FutureSet.empty(), unique.published());
        }
        if (doneCount == unique.size()) { // done never reverts, so they are all still done
            return new DoneAndNotDone<>(unique.published(), FutureSet.empty());
        }
        FutureSet.Chunks done = new FutureSet.Chunks(doneCount);
        FutureSet.Chunks notDone = new FutureSet.Chunks(unique.size() - doneCount);
        for (F f : unique) {
            (f.done() ? done : notDone).add(f);
        }
        return new DoneAndNotDone<>(new FutureSet<F>(done), new FutureSet<F>(notDone));
    }

    /**
     * {@code asCompleted(fs, NO_TIMEOUT)}: the futures as they complete, with no limit to the wait.
     * The iterator's {@code next()} throws {@link WaitInterruptedException} on an interrupt.
     *
     * @param <F> the type of the futures
     * @param fs the futures; duplicates are yielded once
     * @return the futures in the order they complete, to iterate once
     * @throws NullPointerException if {@code fs} or one of its futures is null
     */
    public static <F extends Future<?>> Iterable<F> asCompleted(Collection<? extends F> fs) {
        return asCompleted(fs, NO_TIMEOUT);
    }

    /**
     * The futures, each once, as they complete (finish or are cancelled): first those already done
     * when this is called, in the order given, then the others in the order they complete.
     *
     * <p>The result can be iterated once. Its iterator's {@code next()} throws
     * {@link WaitTimeoutException} ("2 (of 4) futures unfinished") when the next future is not
     * done {@code timeout} after this call; iteration then ends, as Python's generator does.
     * {@code next()} throws {@link WaitInterruptedException} if the thread is interrupted while
     * waiting, and {@link DeadlockException} (ending the iteration) if it is called inside a call of
     * an executor that detects deadlocks and none of the futures not yet returned can ever complete
     * (docs/deadlocks.md). Waiters are removed from the futures when iteration ends, times out, or
     * the iterator is garbage. The iterator keeps no reference to a future it has returned (as
     * CPython's {@code as_completed}): a caller that drops it lets it be collected while iteration
     * goes on.
     *
     * @param <F> the type of the futures
     * @return the futures in the order they complete, to iterate once
     * @param fs the futures; duplicates are ignored
     * @param timeout measured from this call; {@link #NO_TIMEOUT} for no limit
     * @throws NullPointerException if an argument or a future is null
     */
    public static <F extends Future<?>> Iterable<F> asCompleted(Collection<? extends F> fs, Duration timeout) {
        long nanos = Future.toNanos(timeout);
        long start = System.nanoTime();
        FutureSet<F> set = FutureSet.distinct(fs);
        return new CompletionIterator<>(set, set != fs, start, nanos);
    }

    // ------------------------------------------------------------------ JDK futures

    /**
     * A library future that mirrors a JDK {@link CompletionStage}, so it can be passed to
     * {@link #wait} and {@link #asCompleted} beside this library's futures. The mirror completes
     * when the stage does, in the stage's completing thread, with the same value, the same
     * exception (a {@link java.util.concurrent.CompletionException} carried from an earlier stage
     * is unwrapped, as {@code CompletableFuture.get()} does), or cancelled if the stage was
     * cancelled.
     *
     * <p>Cancelling the mirror ({@link Future#cancel()}) cancels the stage too when the stage is
     * also a {@link java.util.concurrent.Future} (as a {@code CompletableFuture} is) and accepts it;
     * a bare {@code CompletionStage} cannot be cancelled, so then {@code cancel()} returns false and
     * the mirror goes on following the stage, as for a running call. The mirror never claims an
     * outcome its source did not have: it cannot be completed by hand ({@link Future#setResult}
     * and friends throw {@link InvalidStateException}). Each call makes a new mirror: call it once
     * per stage and keep the mirror, or {@code wait} and {@code asCompleted} will see two futures.
     *
     * @param <T> the type of the stage's value
     * @param stage the stage; not null
     * @return a pending future that completes with the stage
     * @throws NullPointerException if {@code stage} is null
     */
    public static <T> Future<T> from(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        if (stage instanceof Future<?> own) {
            @SuppressWarnings("unchecked")
            Future<T> f = (Future<T>) own;
            return f;
        }
        return Mirror.OfJdk.ofStage(stage);
    }

    /**
     * {@link #from(CompletionStage)} for a {@link CompletableFuture}, which is both a stage and a
     * JDK future (this overload only settles which of the other two applies).
     *
     * @param <T> the type of the future's value
     * @param future the JDK future to mirror
     * @return a library future that completes as {@code future} does
     */
    public static <T> Future<T> from(CompletableFuture<T> future) {
        return from((CompletionStage<T>) future);
    }

    /**
     * A library future that mirrors any JDK {@link java.util.concurrent.Future}, so it can be
     * passed to {@link #wait} and {@link #asCompleted} beside this library's futures. A future of
     * this library is returned as it is; a {@link CompletionStage} is mirrored through its
     * completion hook, as {@link #from(CompletionStage)} does.
     *
     * <p>A plain JDK future (a {@code FutureTask}, a {@code ForkJoinTask}, ...) has no completion
     * hook, so one shared daemon thread polls every such future with {@code isDone()}, first after
     * 1 ms, then at intervals that double up to 50 ms: no thread per future, at the price of a
     * mirror completing up to 50 ms (about its source's age, for younger ones) after its source.
     * A source already done is mirrored at once. The poller holds the mirror until its source is
     * done, so callbacks added to a mirror of a source that never completes never run, and the
     * source is checked every 50 ms for as long as the program runs: cancel it, or the mirror,
     * when it is no longer wanted.
     *
     * <p>Cancelling the mirror ({@link Future#cancel()}, or {@code cancel(mayInterruptIfRunning)}
     * which passes the flag on) calls the source's {@code cancel}; if the source accepts, the mirror
     * is cancelled too and returns true; if the source is done or refuses, it returns false and the
     * mirror reports the source's outcome. A source whose {@code isDone()} or {@code get} throws an
     * unchecked exception fails its mirror with it.
     *
     * @param <T> the type of the future's value
     * @param future the JDK future; not null
     * @return {@code future} itself if it is a library future, else a new mirror of it
     * @throws NullPointerException if {@code future} is null
     */
    public static <T> Future<T> from(java.util.concurrent.Future<T> future) {
        Objects.requireNonNull(future, "future");
        if (future instanceof Future<T> own) {
            return own;
        }
        if (future instanceof CompletionStage<?> stage) {
            @SuppressWarnings("unchecked")
            CompletionStage<T> s = (CompletionStage<T>) stage;
            return Mirror.OfJdk.ofStage(s);
        }
        return Mirror.OfJdk.ofPlain(future);
    }

    // ------------------------------------------------------------------ internals

    private static boolean satisfied(Collection<? extends Future<?>> fs, ReturnWhen when) {
        boolean all = true;
        for (Future<?> f : fs) {
            if (f.done()) {
                if (when == ReturnWhen.FIRST_COMPLETED || (when == ReturnWhen.FIRST_EXCEPTION && f.failed())) {
                    return true;
                }
            } else {
                all = false;
            }
        }
        return all;
    }

    static String unfinished(int left, int total) {
        return left + " (of " + total + ") futures unfinished";
    }

    /**
     * One call of wait: a listener on every future not yet done, counting completions.
     * Invariant: {@code remaining} counts listeners not yet fired; {@code triggered} is set once,
     * by the listener that makes the condition true, before it unparks the waiting thread.
     */
    private static final class Waiter {
        private final FutureSet<? extends Future<?>> fs;
        private final ReturnWhen when;
        private final Thread thread = Thread.currentThread();
        private final AtomicInteger remaining = new AtomicInteger();
        private volatile boolean triggered;

        Waiter(FutureSet<? extends Future<?>> fs, ReturnWhen when) {
            this.fs = fs;
            this.when = when;
        }

        void await(long nanos) {
            int n = fs.size();
            Hooks hooks = new Hooks();
            remaining.set(n + 1); // +1 so no listener triggers ALL_COMPLETED before all are added
            Deadlocks.Wait registered = null;
            try { // also around the installing: an error half-way (out of memory) leaves no listener behind
                for (int i = 0; i < n; i++) {
                    Future<?> f = fs.get(i);
                    Object handle = f.done() ? null : f.addListener(() -> fired(f));
                    if (handle == null) { // already done: counts now
                        fired(f);
                    } else {
                        hooks.add(f, handle);
                    }
                }
                fired(null); // drop the +1
                if (!triggered) { // inside a call of a detecting executor: DeadlockException if this can never end
                    registered = Deadlocks.beginSet(fs, when != ReturnWhen.ALL_COMPLETED);
                }
                long deadline = System.nanoTime() + nanos;
                while (!triggered) {
                    if (thread.isInterrupted()) {
                        throw new WaitInterruptedException();
                    }
                    if (nanos == Long.MAX_VALUE) {
                        LockSupport.park(this);
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        LockSupport.parkNanos(this, left);
                    }
                }
            } finally {
                Deadlocks.end(registered);
                hooks.run();
            }
        }

        private void fired(Future<?> f) {
            boolean now = remaining.decrementAndGet() == 0
                    || (f != null && when == ReturnWhen.FIRST_COMPLETED)
                    || (f != null && when == ReturnWhen.FIRST_EXCEPTION && f.failed());
            if (now && !triggered) {
                triggered = true;
                LockSupport.unpark(thread);
            }
        }
    }

    /**
     * The state the listeners of one asCompleted call share: the positions (in {@link Hooks}) of
     * the futures completed and not yet returned, and the thread to wake. It holds no reference to
     * the iterator, so an abandoned iterator can be collected and its cleaner remove the
     * listeners; nor to the futures, so a future returned is not kept here. Thread-safety:
     * completers add to the concurrent queue, then read the volatile {@code consumer}; the
     * consumer publishes itself, then polls; so one of them always sees the other and no wake-up
     * is lost.
     */
    private static final class Inbox {
        final ConcurrentLinkedQueue<Integer> completed = new ConcurrentLinkedQueue<>();
        volatile Thread consumer;

        void deliver(int hook) {
            completed.add(hook);
            Thread t = consumer;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * The listeners one wait or asCompleted call installed: futures and their handles side by
     * side (nothing for futures that were done already, so a call over done futures allocates
     * nothing here). {@link #run} removes them all, once; for asCompleted it is the cleaner's
     * action, so it holds no reference to the iterator. Not thread-safe: filled by the calling
     * thread, then run once, by it or by the cleaner (registration publishes it). asCompleted's
     * iterator also {@link #forget}s each future it returns, so that the caller can let go of it
     * (CPython's test_free_reference_yielded_future); a cleaner that runs after the iterator
     * became garbage may miss the latest of those writes, and then only removes a listener
     * that already ran, which is harmless.
     */
    private static final class Hooks implements Runnable {
        private FutureSet.Chunks futures;
        private FutureSet.Chunks handles;

        /** Records a listener; if that fails (out of memory), removes it before rethrowing. */
        void add(Future<?> f, Object handle) {
            try {
                if (futures == null) { // both or neither, so run() never meets one without the other
                    FutureSet.Chunks fs = new FutureSet.Chunks(16);
                    FutureSet.Chunks hs = new FutureSet.Chunks(16);
                    futures = fs;
                    handles = hs;
                }
                futures.add(f);
                handles.add(handle);
            } catch (Throwable e) {
                f.removeListener(handle);
                throw e;
            }
        }

        /** How many listeners were recorded: the position the next one gets. */
        int size() {
            return handles == null ? 0 : handles.size();
        }

        /**
         * The recorded futures, for the deadlock detector (which may read them from another
         * thread: an entry is the future, or null once forgotten, both meaning "done" by then);
         * null before the first {@link #add} and after {@link #run}.
         */
        FutureSet.Chunks futures() {
            return futures;
        }

        /** The future recorded at {@code k}; null if forgotten, or after {@link #run}. */
        Future<?> future(int k) {
            return futures == null ? null : (Future<?>) futures.get(k);
        }

        /** Forgets the future at {@code k}, whose listener ran: nothing is left to remove. */
        void forget(int k) {
            if (futures != null) {
                futures.clear(k);
                handles.clear(k);
            }
        }

        @Override
        public void run() {
            if (futures == null) {
                return;
            }
            for (int k = 0, n = handles.size(); k < n; k++) { // futures may hold one more, if add failed
                Future<?> f = (Future<?>) futures.get(k);
                if (f != null) { // null: returned by asCompleted, its listener ran
                    f.removeListener(handles.get(k));
                }
            }
            futures = null;
            handles = null;
        }
    }

    /**
     * Iterator of asCompleted. Not thread-safe (like any iterator); the listeners it installs are.
     * Invariant: {@code left} counts the futures not yet returned; the futures done at the call
     * are those of {@code order} not in {@code hooks}, returned in input order as
     * {@code readyCursor} passes them; the inbox holds the positions in {@code hooks} of the rest
     * as they complete, each exactly once. A future returned is no longer referenced from here
     * (CPython's as_completed does the same: a caller that drops it lets it be collected while the
     * iteration goes on): the ready walk clears the entries it passed (if the order is this
     * iterator's own, not a set the caller passed in), drops the whole order when it ends, and
     * {@code take} forgets the hooks entry of each future it returns.
     */
    private static final class CompletionIterator<F extends Future<?>> implements Iterator<F>, Iterable<F> {
        /**
         * The futures, each once, in the order given; null once the ready walk is over. Its
         * entries are cleared as they are returned if {@code owned}.
         */
        private FutureSet.Chunks order;
        /** Whether {@code order} was built for this call alone (not a set the caller gave). */
        private final boolean owned;
        /** The futures that got a listener, in the order of {@code order}; also the cleaner's action. */
        private final Hooks hooks;
        /** The next index into {@code order} to consider as ready, and the next entry of {@code hooks}. */
        private int readyCursor;
        private int hookedCursor;
        private final Inbox inbox = new Inbox();
        private final Cleaner.Cleanable cleanable;
        private final int total;
        private final long start;
        private final long nanos;
        private int left;
        private boolean iterated;
        /** For deadlock detection: every entry of {@code hooked} before this index is done. */
        private int scanFrom;

        CompletionIterator(FutureSet<F> fs, boolean owned, long start, long nanos) {
            int n = fs.size();
            this.total = n;
            this.start = start;
            this.nanos = nanos;
            this.left = n;
            this.order = fs.order();
            this.owned = owned;
            Hooks hooks = new Hooks();
            Inbox box = inbox;
            // All seen done as distinct built fs (done never reverts): nothing to listen to, no pass.
            // A set an earlier wait returned carries no count (-1), so it is scanned.
            int scan = fs.doneWhenBuilt() == n ? 0 : n;
            try {
                for (int i = 0; i < scan; i++) {
                    F f = fs.get(i);
                    Object handle = null;
                    if (!f.done()) {
                        int k = hooks.size();
                        handle = f.addListener(() -> box.deliver(k));
                    }
                    // No handle: done at the call, or completed meanwhile; returned first, in input order.
                    if (handle != null) {
                        hooks.add(f, handle);
                    }
                }
            } catch (Throwable e) { // out of memory half-way: leave no listener behind
                hooks.run();
                throw e;
            }
            this.hooks = hooks;
            cleanable = CLEANER.register(this, hooks);
        }

        @Override
        public Iterator<F> iterator() {
            if (iterated) {
                throw new IllegalStateException("the result of asCompleted can be iterated only once");
            }
            iterated = true;
            return this;
        }

        @Override
        public boolean hasNext() {
            return left > 0;
        }

        @Override
        @SuppressWarnings("unchecked")
        public F next() {
            if (left == 0) {
                throw new NoSuchElementException();
            }
            F f = nextReady();
            if (f == null) {
                f = (F) take();
            }
            if (--left == 0) {
                cleanable.clean();
            }
            return f;
        }

        /**
         * The next future that was done at the call, in input order, or null when there is none
         * left: walks {@code order}, skipping the futures that got a listener, which come in the
         * same order and, the order being distinct, are found by identity (no copy of the ready
         * ones is made: over 10^6 done futures that copy was 4 MB of garbage per call).
         */
        @SuppressWarnings("unchecked")
        private F nextReady() {
            FutureSet.Chunks o = order;
            if (o == null) {
                return null;
            }
            int hooked = hooks.size(); // the walk ends before take() forgets any hooks entry
            while (readyCursor < total) {
                int k = readyCursor++;
                F f = (F) o.get(k);
                if (hookedCursor < hooked && hooks.future(hookedCursor) == f) {
                    hookedCursor++;
                    continue;
                }
                if (owned) {
                    o.clear(k);
                }
                return f;
            }
            order = null;
            return null;
        }

        /** An entry of {@code hooks}: null once returned (and so done), else done if it says so. */
        private static boolean isDoneOrForgotten(Object entry) {
            return entry == null || ((Future<?>) entry).done();
        }

        private Future<?> take() {
            Thread me = Thread.currentThread();
            inbox.consumer = me;
            Deadlocks.Wait registered = null;
            boolean checked = false;
            try {
                while (true) {
                    Integer k = inbox.completed.poll();
                    if (k != null) {
                        Future<?> f = hooks.future(k);
                        hooks.forget(k);
                        return f;
                    }
                    if (me.isInterrupted()) {
                        throw new WaitInterruptedException();
                    }
                    long wait = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : start + nanos - System.nanoTime();
                    if (wait <= 0) {
                        int unfinished = left;
                        left = 0;
                        cleanable.clean();
                        throw new WaitTimeoutException(unfinished(unfinished, total));
                    }
                    if (!checked) {
                        checked = true;
                        FutureSet.Chunks hooked = hooks.futures();
                        if (hooked != null && Deadlocks.inCall()) {
                            // Once, before the first park, inside a call of a detecting executor:
                            // DeadlockException if none of the futures not yet returned can complete.
                            // The done prefix is skipped for good (done never reverts), so a long
                            // iteration does not scan it again and again.
                            while (scanFrom < hooked.size() && isDoneOrForgotten(hooked.get(scanFrom))) {
                                scanFrom++;
                            }
                            try {
                                registered = Deadlocks.beginAsCompleted(hooked, scanFrom, scanFrom, hooked.size() - left);
                            } catch (DeadlockException e) { // ends the iteration, as a timeout does
                                left = 0;
                                cleanable.clean();
                                throw e;
                            }
                            continue; // look at the inbox again before parking
                        }
                    }
                    if (wait == Long.MAX_VALUE) {
                        LockSupport.park(this);
                    } else {
                        LockSupport.parkNanos(this, wait);
                    }
                }
            } finally {
                Deadlocks.end(registered);
                inbox.consumer = null;
            }
        }
    }
}

package futures.cluster.internal;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import futures.cluster.BrokenClusterException;
import futures.cluster.MemberLostException;
import futures.spi.BrokenExecutorException;
import futures.spi.WorkItem;
import futures.spi.WorkerPool;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool of provider "cluster": sends each call to a member of the cluster through the engine's
 * executor service, at most {@link #maxWorkers()} at once, and settles the call's item with the
 * outcome that comes back.
 *
 * <p>Order of work: {@link #execute} serializes the task in the submitting thread (so a task that
 * cannot be sent is refused there, naming its class) and either sends it, or queues it while
 * {@code maxWorkers} calls are in flight. An item is marked running just before it is sent, so a
 * call cancelled while queued is never sent; once sent it runs at most once: no outcome lost with a
 * member is ever retried. Each call goes to the member with the fewest of this pool's calls in
 * flight (ties taken in turn).
 *
 * <p>Invariants, all guarded by this object's monitor: {@code taken} counts the items accepted
 * and not yet released (queued, reserved, or {@code sent}); {@code sent} holds exactly the items
 * handed to the engine and not yet released, each with its member, and
 * {@code sent.size() + reserved <= maxWorkers}; no item is settled while the monitor is held (that
 * runs the user's done callbacks);
 * an item is released exactly once, by whoever removes it from {@code sent} (its callback, or a
 * break); {@code engineFutures} and {@code stopAsked} only hold items of {@code sent}.
 * {@code shutdown}, {@code broken} and {@code closed} only ever go from false/null to set.
 * {@code load} (per member, calls in flight) is a concurrent map of atomics, used only to choose.
 */
final class ClusterPool implements WorkerPool {
    private static final System.Logger LOG = System.getLogger("futures.cluster");

    private final HazelcastInstance hz;
    private final boolean owned;
    private final IExecutorService service;
    private final ObjectInputFilter filter;
    private final int maxWorkers;
    private final int maxMessage;
    private final String id = UUID.randomUUID().toString();
    private final UUID lifecycle;
    private final Map<UUID, AtomicInteger> load = new ConcurrentHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();

    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final Map<WorkItem, Member> sent = new IdentityHashMap<>();
    /** The engine's future of each item of {@code sent} whose submission returned; for {@link #stopRunning}. */
    private final Map<WorkItem, Future<?>> engineFutures = new IdentityHashMap<>();
    /** Items of {@code sent} that {@link #stopRunning} was asked to stop before their submission returned. */
    private final Set<WorkItem> stopAsked = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    /** Slots held by items about to be sent (being marked, a member being chosen), not yet in {@code sent}. */
    private int reserved;
    private int taken;
    private boolean shutdown;
    private boolean closing;
    private String brokenReason;

    private record Queued(WorkItem item, byte[] bytes) {}

    ClusterPool(HazelcastInstance hz, boolean owned, ObjectInputFilter filter, int maxWorkers, int maxMessage) {
        this.hz = hz;
        this.maxMessage = maxMessage;
        this.owned = owned;
        this.filter = filter;
        this.maxWorkers = maxWorkers;
        this.service = hz.getExecutorService(Engines.EXECUTOR);
        this.lifecycle = hz.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN
                    || event.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                breakPool("the cluster engine of this executor (instance '" + hz.getName() + "') stopped");
            }
        });
    }

    @Override
    public void execute(WorkItem item) {
        byte[] bytes;
        try {
            bytes = Codec.serializeTask(item.task());
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw Codec.notSendable(e);
        }
        if (bytes.length > maxMessage) {
            throw new IllegalArgumentException("the task cannot be sent to the cluster: its " + bytes.length
                    + " bytes, serialized, are more than max_message_size (" + maxMessage + " bytes); raise"
                    + " max_message_size (on the members too: they refuse a larger task) or send less");
        }
        Queued q = new Queued(item, bytes);
        synchronized (this) {
            if (brokenReason != null) {
                throw new BrokenClusterException(brokenReason, null);
            }
            if (shutdown) {
                throw new RejectedExecutionException("cannot schedule new futures after shutdown");
            }
            taken++;
            if (sent.size() + reserved >= maxWorkers) {
                queue.add(q);
                return;
            }
            reserved++;
        }
        dispatch(q);
    }

    /** Sends {@code q}, which holds a reserved slot, then whatever the release of a slot hands on. */
    private void dispatch(Queued q) {
        while (q != null) {
            WorkItem item = q.item();
            if (!item.markRunning()) {
                q = release(item, null, true);
                continue;
            }
            Member member = choose();
            if (member == null) {
                item.fail(new MemberLostException("(none)", "no member of the cluster is left to run the call", null));
                q = release(item, null, true);
                continue;
            }
            String broke;
            synchronized (this) {
                broke = brokenReason;
                if (broke == null) {
                    reserved--;
                    sent.put(item, member);
                }
            }
            if (broke != null) { // broken since the slot was reserved: never sent
                item.fail(new BrokenClusterException(broke, null)); // outside the lock: it runs callbacks
                q = release(item, null, true);
                continue;
            }
            load.computeIfAbsent(member.getUuid(), u -> new AtomicInteger()).incrementAndGet();
            try {
                Future<byte[]> f = service.submitToMember(new Call(q.bytes(), id), member);
                boolean stop;
                synchronized (this) {
                    stop = stopAsked.remove(item);
                    if (sent.containsKey(item)) {
                        engineFutures.put(item, f);
                    }
                }
                if (stop) {
                    stop(f);
                }
                if (f instanceof CompletableFuture<byte[]> engine) {
                    // allOf: a plain future completed where the engine's own future completes (see Settle)
                    CompletableFuture.allOf(engine).whenComplete(new Settle(item, member, engine));
                } else { // not seen with the engine's members or clients
                    f.cancel(false);
                    throw new IllegalStateException("the engine's future is not a CompletableFuture: " + f.getClass());
                }
            } catch (RuntimeException e) {
                finish(item, member, null, e);
            }
            q = null;
        }
    }

    /** Whichever member has the fewest of this pool's calls in flight, ties taken in turn; or null. */
    private Member choose() {
        Member[] members = hz.getCluster().getMembers().toArray(Member[]::new);
        int n = members.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(turn.getAndIncrement(), n);
        Member best = null;
        int least = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Member m = members[(start + i) % n];
            if (m.isLiteMember()) {
                continue;
            }
            AtomicInteger l = load.get(m.getUuid());
            int v = l == null ? 0 : l.get();
            if (v < least) {
                least = v;
                best = m;
            }
        }
        return best;
    }

    /**
     * Settles a sent item when the engine's future for it completes. The engine completes that
     * future on a thread of its default callback executor ({@code ForkJoinPool.commonPool()}, or a
     * new thread per future when that pool has one thread, as on 2 cores), never on its response or
     * operation threads, and this runs there, through {@code CompletableFuture.allOf}, whose future
     * completes in the thread that completes the engine's: the outcome is read and the item settled
     * there, running the user's done callbacks. That is the engine's own one hand-off per call;
     * {@code whenComplete} on the engine's future would run on its response thread instead, and its
     * callback API ({@code submitToMember(task, member, callback)}) makes two hand-offs per call,
     * which measured at about twice the engine's CPU per call.
     */
    private final class Settle implements java.util.function.BiConsumer<Void, Throwable> {
        private final WorkItem item;
        private final Member member;
        private final CompletableFuture<byte[]> engine;

        Settle(WorkItem item, Member member, CompletableFuture<byte[]> engine) {
            this.item = item;
            this.member = member;
            this.engine = engine;
        }

        @Override
        public void accept(Void ignored, Throwable failed) {
            byte[] response;
            try {
                response = engine.get(); // done: returns or throws at once
            } catch (ExecutionException e) {
                finish(item, member, null, e.getClass() == ExecutionException.class && e.getCause() != null ? e.getCause() : e);
                return;
            } catch (InterruptedException | RuntimeException e) {
                finish(item, member, null, e);
                return;
            }
            finish(item, member, response, null);
        }
    }

    /** Settles a sent item with its outcome, unless a break already did, and hands its slot on. */
    private void finish(WorkItem item, Member member, byte[] response, Throwable failure) {
        synchronized (this) {
            engineFutures.remove(item);
            stopAsked.remove(item);
            if (sent.remove(item) == null) {
                return; // a break settled and released it
            }
        }
        AtomicInteger l = load.get(member.getUuid());
        if (l != null) {
            l.decrementAndGet();
        }
        if (failure != null) {
            item.fail(translate(failure, member));
        } else if (response == null || response.length > maxMessage) {
            item.fail(new UncheckedIOException("the call's outcome from member " + address(member)
                    + " could not be read in the submitting JVM: " + (response == null ? "it sent nothing"
                    : "its " + response.length + " bytes are more than max_message_size (" + maxMessage
                    + " bytes); raise max_message_size or return less"), new IOException("message too large")));
        } else {
            try {
                Codec.Outcome o = Codec.deserializeOutcome(response, filter);
                if (o.failed()) {
                    item.fail((Throwable) o.value());
                } else {
                    item.complete(o.value());
                }
            } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError | StackOverflowError e) {
                item.fail(new UncheckedIOException("the call's outcome from member " + address(member)
                        + " could not be read in the submitting JVM: " + e
                        + (Codec.refusedByFilter(e) ? " (not allowed by its serialization filter; see config key"
                                + " 'serialization_allow')" : ""),
                        e instanceof IOException io ? io : new IOException(e)));
            }
        }
        dispatch(release(item, member, false));
    }

    /**
     * Releases an item's slot; returns the next queued item, whose slot it keeps (reserved), or null.
     *
     * @param inReserve whether the item held a reserved slot (not yet in {@code sent})
     */
    private Queued release(WorkItem item, Member member, boolean inReserve) {
        Queued next;
        boolean close;
        synchronized (this) {
            taken--;
            if (inReserve) {
                reserved--;
            }
            next = brokenReason == null ? queue.poll() : null;
            if (next != null) {
                reserved++;
            }
            close = shutdown && taken == 0 && !closing;
            notifyAll();
        }
        if (close) {
            closeLater();
        }
        return next;
    }

    /** What the engine's failure means for the user: see docs/cluster-provider.md, the failure table. */
    private Throwable translate(Throwable t, Member member) {
        Throwable e = t;
        while ((e instanceof CompletionException || e.getClass() == ExecutionException.class) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof MemberLeftException || e instanceof TargetNotMemberException
                || e instanceof TargetDisconnectedException) {
            return new MemberLostException(address(member), "member " + address(member)
                    + " left the cluster before the call's outcome came back; the call may have run, in part or"
                    + " wholly, and is not run again (at most once)", e);
        }
        if (e instanceof RejectedExecutionException && !(e instanceof BrokenExecutorException)) {
            return new MemberLostException(address(member), "member " + address(member)
                    + " is shutting down and refused the call, which did not run", e);
        }
        if (e instanceof HazelcastInstanceNotActiveException || e instanceof HazelcastClientNotActiveException
                || e instanceof HazelcastClientOfflineException || !hz.getLifecycleService().isRunning()) {
            String reason = "the cluster engine of this executor (instance '" + hz.getName() + "') is not running: " + e;
            breakPool(reason);
            return new BrokenClusterException(reason, e);
        }
        return e;
    }

    private static String address(Member m) {
        return m.getAddress().getHost() + ":" + m.getAddress().getPort();
    }

    /** Breaks the pool: every item it holds fails with its own BrokenClusterException. */
    private void breakPool(String reason) {
        List<WorkItem> failed = new ArrayList<>();
        synchronized (this) {
            if (brokenReason != null || closing) {
                return;
            }
            brokenReason = reason;
            for (Queued q : queue) {
                failed.add(q.item());
            }
            queue.clear();
            failed.addAll(sent.keySet());
            sent.clear(); // their callbacks, should any still come, find them gone and do nothing
            engineFutures.clear();
            stopAsked.clear();
        }
        for (WorkItem item : failed) {
            item.fail(new BrokenClusterException(reason, null)); // outside the lock: it runs callbacks
        }
        boolean close;
        synchronized (this) {
            taken -= failed.size(); // only now: a waiting shutdown returns after they are settled
            close = shutdown && taken == 0 && !closing;
            notifyAll();
        }
        if (close) {
            closeLater();
        }
    }

    @Override
    public void shutdown(boolean wait) {
        boolean closeNow;
        synchronized (this) {
            shutdown = true;
            closeNow = taken == 0 && !closing;
        }
        if (wait && id.equals(Call.POOL.get())) {
            throw new IllegalStateException(
                    "shutdown(wait=true) called from a task of this executor would wait for itself; use shutdown(false)");
        }
        if (!wait) {
            if (closeNow) {
                closeLater();
            }
            return;
        }
        boolean interrupted = false;
        synchronized (this) {
            while (taken > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@link #close()} without blocking the caller, which may be a thread of the engine (a callback):
     * shutting an instance down from its own thread could wait for itself.
     */
    private void closeLater() {
        if (!owned) {
            close();
            return;
        }
        Thread t = new Thread(this::close, "futures-cluster-close");
        t.setDaemon(true);
        t.start();
    }

    /** Stops listening and, if this pool started its engine instance, shuts it down. Once. */
    private void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            hz.getLifecycleService().removeLifecycleListener(lifecycle);
        } catch (RuntimeException e) {
            // the instance is already gone
        }
        if (owned) {
            try {
                hz.shutdown();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "shutting down the cluster engine: " + e);
            }
        }
    }

    /**
     * True: the engine's {@code Future.cancel(true)} interrupts the thread running the call on its
     * member, which is how {@link #stopRunning} stops it.
     */
    @Override
    public boolean stopsRunningCalls() {
        return true;
    }

    /**
     * Asks the member running {@code item}'s call to interrupt it (the engine's {@code cancel(true)},
     * sent from a virtual thread, so this returns at once). The engine's future then completes as
     * cancelled, which settles the item and frees its slot; a call that ignores the interrupt runs
     * on to its end on the member, its outcome dropped. A call whose submission has not returned yet
     * is stopped as soon as it has; one that is no longer in flight is left alone.
     */
    @Override
    public void stopRunning(WorkItem item) {
        Future<?> f;
        synchronized (this) {
            f = engineFutures.get(item);
            if (f == null && sent.containsKey(item)) {
                stopAsked.add(item); // being submitted: dispatch stops it once its submission returns
            }
        }
        if (f != null) {
            stop(f);
        }
    }

    private static void stop(Future<?> f) {
        // the engine's cancel waits for the member's answer: never in the caller's thread
        Thread.ofVirtual().name("futures-cluster-stop").start(() -> f.cancel(true));
    }

    @Override
    public int maxWorkers() {
        return maxWorkers;
    }

    @Override
    public synchronized BrokenExecutorException broken() {
        return brokenReason == null ? null : new BrokenClusterException(brokenReason, null);
    }

    @Override
    public String toString() {
        return "ClusterPool[" + hz.getName() + ", max_workers=" + maxWorkers + "]";
    }
}

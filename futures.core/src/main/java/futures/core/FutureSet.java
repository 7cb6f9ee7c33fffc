package futures.core;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sets {@link Futures#wait} returns, and the de-duplication {@code wait} and
 * {@link Futures#asCompleted} do: futures in the order first given, each once, compared by
 * identity (a {@link Future} is equal only to itself, so this is the {@link java.util.Set}
 * contract). Read-only: the mutators of {@link AbstractSet} throw
 * {@link UnsupportedOperationException}.
 *
 * <p>Why not a {@code LinkedHashSet}: it hashes every future into one table, and at 10^5 futures
 * that table is a single 1 MB array, a <em>humongous</em> allocation for the G1 collector (above
 * half a region; regions are 1 MB for heaps up to 2 GB), and every insertion is a cache miss in it;
 * {@code wait} and {@code asCompleted} grew 75-114x per factor of 10 in the benchmarks. Here the
 * de-duplication usually hashes nothing: each future carries a mark, the number of the last call
 * that met it, which one call at a time owns and sets with a plain write ({@link #distinct}), so
 * the cost per future is one touch of the future itself, with no locked instruction. The order is
 * kept in {@link Chunks}, and the identity index that {@link #contains} needs is built only when
 * first asked for, split into segments; no array here ever exceeds {@link #CHUNK} references (64
 * KB with compressed references).
 *
 * <p>Thread-safety: the marks are owned by one {@code distinct} call at a time
 * ({@link #MARKS_OWNED}). A set is built by one thread, then published through a final field or
 * another happens-before edge (as {@link DoneAndNotDone} and the iterators do) and only read. The lazy
 * index is a benign race: any thread may build it, each builds the same content from the
 * immutable order, and it is published through a volatile field.
 */
final class FutureSet<F> extends AbstractSet<F> {
    /** Largest array this class allocates, in references: 16K, 64 KB (128 KB without compressed oops). */
    static final int CHUNK_SHIFT = 14;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK - 1;

    private static final FutureSet<?> EMPTY = new FutureSet<>(new Chunks(0));

    /** The elements, in order, each once. Never changed after construction. */
    private final Chunks order;
    /** How many elements {@link #distinct} saw done while it built this set; -1 if not built by it. */
    private final int doneWhenBuilt;
    /** Identity index over {@code order} for {@link #contains}; null until first needed. */
    private volatile Index index;

    /** Takes ownership of {@code order}, whose elements must be distinct; nobody may change it afterwards. */
    FutureSet(Chunks order) {
        this(order, -1);
    }

    private FutureSet(Chunks order, int doneWhenBuilt) {
        this.order = order;
        this.doneWhenBuilt = doneWhenBuilt;
    }

    /**
     * How many of the futures {@link #distinct} saw done as it built this set, each seen once
     * during that call (done never reverts, so at least that many are done now); -1 for a set
     * {@code distinct} did not build in the caller's own call. Only the call that built a set sees
     * a count: the sets {@code wait} returns carry none ({@link #published}), so one passed back
     * in (Python's polling loop over {@code not_done}) is looked at again. Lets {@code wait} with
     * no time to wait, and {@code asCompleted} over futures all done, skip a pass over the
     * futures: at 10^6 futures each pass is tens of megabytes read from memory, not from the
     * caches.
     */
    int doneWhenBuilt() {
        return doneWhenBuilt;
    }

    @SuppressWarnings("unchecked")
    static <F> FutureSet<F> empty() {
        return (FutureSet<F>) EMPTY;
    }

    /**
     * Who owns the futures' marks: true while one {@code distinct} call uses them. Taken by CAS,
     * given back by a volatile write; that write happens-before the next owner's CAS, so each
     * owner sees every mark earlier owners wrote, and the marks (and {@link #lastCall}) need no
     * atomic operation of their own.
     */
    private static final AtomicBoolean MARKS_OWNED = new AtomicBoolean();

    /**
     * The number of the call that owns the marks, or of the last one that did; 1 to 2^32 - 1 as
     * an unsigned int, never 0 (a new future's mark). Read and written only by the owner of
     * {@link #MARKS_OWNED}, which publishes it to the next owner.
     */
    private static int lastCall;

    /**
     * Whether a call's number can have been given before: false until {@link #lastCall} wraps
     * around past 2^32 - 1 (or a test sets it), and never false again. Until then a future that
     * carries a call's number was met by that very call: a duplicate, with no index to build. Owned
     * like {@link #lastCall}.
     */
    private static boolean numbersReused;

    /**
     * The futures of {@code fs} without duplicates (by identity), in the order given, and how many
     * of them were seen done while this ran (see {@link #doneWhenBuilt}).
     *
     * <p>The call that finds the marks free takes them and a new number; it writes its number into
     * each future as it meets it (a plain write: no other thread touches the marks meanwhile).
     * A future that already carries the number is a duplicate, until the numbers wrap around after
     * 2^32 - 1 calls; from then on it may also be one whose mark is that old, so the first such
     * future makes the call build an identity {@link Index} of the futures met so far, which tells
     * the two apart (and takes every future met after it). So an input costs one touch of each
     * future and no hash, duplicates or not (until the numbers wrap: then a call that meets a
     * duplicate hashes from there on), and nothing has to be cleared afterwards: the next owner's
     * number is another. No locked instruction per future, so the processor overlaps the cache
     * misses of many futures: at 10^5-10^6 futures that is what the time is made of. A call made
     * while another owns the marks (another thread's, or a call from inside {@code fs}'s own
     * iterator) de-duplicates through an identity {@link Index} instead, which costs a hash per
     * future but is as correct. A set that {@code wait} returned is returned as it is (it is
     * read-only and distinct).
     *
     * @throws NullPointerException if {@code fs} or one of its elements is null
     */
    static <F extends Future<?>> FutureSet<F> distinct(Collection<? extends F> fs) {
        Objects.requireNonNull(fs, "fs");
        if (fs instanceof FutureSet<?> set) { // a set wait returned (Python's loop over not_done): distinct already
            @SuppressWarnings("unchecked")
            FutureSet<F> same = (FutureSet<F>) set;
            return same;
        }
        if (!MARKS_OWNED.compareAndSet(false, true)) {
            return distinctByIndex(fs);
        }
        Chunks out;
        int done = 0;
        try { // from here on: fs.size() is the user's code, and new Chunks can run out of memory
            int call = lastCall + 1;
            if (call == 0) {
                call = 1;
                numbersReused = true;
            }
            lastCall = call;
            boolean reused = numbersReused;
            out = new Chunks(fs.size());
            Index met = null; // the futures met so far, once one already carried this call's number
            for (F f : fs) {
                Objects.requireNonNull(f, "a future in fs is null");
                boolean first;
                if (f.meet(call)) {
                    first = true;
                    if (met != null) {
                        met.add(f);
                    }
                } else if (!reused) {
                    first = false; // the number is this call's alone: met before by this call
                } else {
                    if (met == null) {
                        met = index(out);
                    }
                    first = met.add(f); // false: a duplicate; true: a mark 2^32 - 1 calls old
                }
                if (first) {
                    out.add(f);
                    if (f.done()) {
                        done++;
                    }
                }
            }
        } finally {
            MARKS_OWNED.set(false);
        }
        return new FutureSet<>(out, done);
    }

    /** An identity index of the first {@code out.size()} elements of {@code out}. */
    private static Index index(Chunks out) {
        Index i = new Index(out.size());
        for (int k = 0, n = out.size(); k < n; k++) {
            i.add(out.get(k));
        }
        return i;
    }

    /**
     * Sets the number of the last call, as if the numbers had wrapped around (a number set back is
     * given again); for tests of the wrap-around.
     */
    static void lastCallForTests(int call) {
        lastCallForTests(call, true);
    }

    /** The number of the last call (an unsigned int), for tests. */
    static int lastCallForTests() {
        while (!MARKS_OWNED.compareAndSet(false, true)) {
            Thread.onSpinWait();
        }
        int call = lastCall;
        MARKS_OWNED.set(false);
        return call;
    }

    /** Whether the numbers have wrapped around (or a test said so), for tests. */
    static boolean numbersReusedForTests() {
        while (!MARKS_OWNED.compareAndSet(false, true)) {
            Thread.onSpinWait();
        }
        boolean reused = numbersReused;
        MARKS_OWNED.set(false);
        return reused;
    }

    /**
     * Sets the number of the last call and whether numbers may have been given before; for tests.
     * With {@code reused} false, the calls that follow must meet only futures no call met before.
     */
    static void lastCallForTests(int call, boolean reused) {
        while (!MARKS_OWNED.compareAndSet(false, true)) {
            Thread.onSpinWait(); // a test's own call may still be letting go
        }
        lastCall = call;
        numbersReused = reused;
        MARKS_OWNED.set(false);
    }

    /**
     * This set as {@code wait} hands it out: the same futures, without this call's done count,
     * which would be stale for a later call given the set back. Shares the order and any index.
     */
    FutureSet<F> published() {
        if (doneWhenBuilt < 0) {
            return this;
        }
        FutureSet<F> copy = new FutureSet<>(order, -1);
        copy.index = index;
        return copy;
    }

    /** Whether no call owns the marks now; for tests. */
    static boolean marksFree() {
        return !MARKS_OWNED.get();
    }

    /** {@link #distinct} without the marks: through an identity index, which then also serves {@link #contains}. */
    static <F extends Future<?>> FutureSet<F> distinctByIndex(Collection<? extends F> fs) {
        Chunks out = new Chunks(fs.size());
        Index seen = new Index(Math.min(fs.size(), CHUNK)); // grows as needed: size() may overstate
        int done = 0;
        for (F f : fs) {
            Objects.requireNonNull(f, "a future in fs is null");
            if (seen.add(f)) {
                out.add(f);
                if (f.done()) {
                    done++;
                }
            }
        }
        FutureSet<F> set = new FutureSet<>(out, done);
        set.index = seen;
        return set;
    }

    @Override
    public boolean contains(Object o) {
        if (o == null || order.size() == 0) {
            return false;
        }
        Index i = index;
        if (i == null) {
            i = index(order);
            index = i;
        }
        return i.contains(o);
    }

    /**
     * The order of the elements, for an iterator that owns this set (built for it by
     * {@link #distinct}, never handed out) and forgets each element as it returns it; nobody else
     * may change it.
     */
    Chunks order() {
        return order;
    }

    /** The element given {@code k}-th (from 0). */
    @SuppressWarnings("unchecked")
    F get(int k) {
        Objects.checkIndex(k, order.size());
        return (F) order.get(k);
    }

    @Override
    public int size() {
        return order.size();
    }

    @Override
    public Iterator<F> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < order.size();
            }

            @Override
            @SuppressWarnings("unchecked")
            public F next() {
                if (next >= order.size()) {
                    throw new NoSuchElementException();
                }
                return (F) order.get(next++);
            }
        };
    }

    @Override
    public boolean add(F f) {
        throw new UnsupportedOperationException("the sets wait returns are read-only");
    }

    @Override
    public boolean remove(Object o) {
        throw new UnsupportedOperationException("the sets wait returns are read-only");
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the sets wait returns are read-only");
    }

    /**
     * An identity hash set of references: open addressing, linear probing, load at most 1/2,
     * slot s in segment {@code s >>> CHUNK_SHIFT}, so no array is larger than {@link #CHUNK}.
     * Not thread-safe; filled by one thread, then only read.
     */
    static final class Index {
        private Object[][] table;
        private int capacity; // a power of two, at least 32
        private int shift;    // 32 - log2(capacity): the slot is the multiplication's high bits
        private int size;

        Index(int expected) {
            allocate(capacity(expected));
        }

        private static int capacity(int expected) {
            int want = Math.max(16, expected) * 2;
            return want < 0 || want > (1 << 30) ? 1 << 30 : Integer.highestOneBit(want - 1) << 1;
        }

        private void allocate(int cap) {
            capacity = cap;
            shift = 32 - Integer.numberOfTrailingZeros(cap);
            int segments = Math.max(1, cap >>> CHUNK_SHIFT);
            table = new Object[segments][];
            for (int s = 0; s < segments; s++) {
                table[s] = new Object[Math.min(cap, CHUNK)];
            }
        }

        /** Fibonacci hashing over the identity hash: the high bits of the product pick the slot. */
        private int slot(Object o) {
            return (System.identityHashCode(o) * 0x9E3779B9) >>> shift;
        }

        /** Adds {@code o} unless here already; returns whether it was added. */
        boolean add(Object o) {
            int mask = capacity - 1;
            for (int s = slot(o); ; s = (s + 1) & mask) {
                Object[] seg = table[s >>> CHUNK_SHIFT];
                int i = s & CHUNK_MASK;
                Object there = seg[i];
                if (there == o) {
                    return false;
                }
                if (there == null) {
                    seg[i] = o;
                    if (++size * 2 > capacity) {
                        grow();
                    }
                    return true;
                }
            }
        }

        private void grow() {
            if (capacity >= 1 << 30) {
                throw new OutOfMemoryError("more than 2^29 futures in one set");
            }
            Object[][] old = table;
            allocate(capacity * 2);
            size = 0;
            for (Object[] seg : old) {
                for (Object o : seg) {
                    if (o != null) {
                        add(o);
                    }
                }
            }
        }

        boolean contains(Object o) {
            int mask = capacity - 1;
            for (int s = slot(o); ; s = (s + 1) & mask) {
                Object there = table[s >>> CHUNK_SHIFT][s & CHUNK_MASK];
                if (there == o) {
                    return true;
                }
                if (there == null) {
                    return false;
                }
            }
        }
    }

    /**
     * An append-only list of references kept in arrays of at most {@link #CHUNK} elements, so a
     * large one is never a single humongous array. Also the listener handles of a wait or
     * asCompleted call. Not thread-safe: one owner at a time, published by a happens-before edge.
     */
    static final class Chunks {
        private Object[][] chunks;
        private int size;

        Chunks(int expected) {
            int n = Math.max(1, (int) ((Math.max(expected, 1) + (long) CHUNK - 1) >>> CHUNK_SHIFT));
            chunks = new Object[n][];
            chunks[0] = new Object[Math.max(8, Math.min(expected, CHUNK))];
        }

        int size() {
            return size;
        }

        void add(Object o) {
            int c = size >>> CHUNK_SHIFT;
            int i = size & CHUNK_MASK;
            if (c == chunks.length) {
                chunks = Arrays.copyOf(chunks, c * 2);
            }
            Object[] chunk = chunks[c];
            if (chunk == null) {
                chunk = chunks[c] = new Object[CHUNK];
            } else if (i == chunk.length) { // only the first chunk starts short
                chunk = chunks[c] = Arrays.copyOf(chunk, Math.min(CHUNK, chunk.length * 2));
            }
            chunk[i] = o;
            size++;
        }

        Object get(int k) {
            return chunks[k >>> CHUNK_SHIFT][k & CHUNK_MASK];
        }

        /** Forgets element {@code k} (it reads null from then on); only its one owner may. */
        void clear(int k) {
            chunks[k >>> CHUNK_SHIFT][k & CHUNK_MASK] = null;
        }
    }
}

package futures.core;

import futures.spi.Task;
import java.io.Serializable;

/**
 * The tasks the core builds from user calls. Each is serializable, so a pool in another process
 * can run it as it is; none holds a reference to an executor or a future. Immutable.
 *
 * <p>Why final classes and not records: a record is deserialized through its canonical
 * constructor, which the JDK reaches by a chain of method handles built for each record class,
 * and the first one in a JVM spins a few dozen classes. In a fresh process worker that put
 * 25-35 ms between the first task's frame and its call (JDK 25, 2-core VM, class-loading log);
 * an ordinary serializable class is filled field by field, by the machinery the worker has warmed
 * up already, and took 5-6 ms. {@code toString} reads as a record's would ({@link Chunk} gives
 * its item count instead of the array).
 */
final class Calls {
    private Calls() {}

    /**
     * {@code fn(a)}.
     *
     * @param <A> the type of the argument
     * @param <R> the type of the value
     */
    static final class Apply<A, R> implements Task<R> {
        private static final long serialVersionUID = 1L;
        private final Func<? super A, ? extends R> fn;
        private final A a;

        Apply(Func<? super A, ? extends R> fn, A a) {
            this.fn = fn;
            this.a = a;
        }

        @Override
        public R call() throws Exception {
            return fn.apply(a);
        }

        @Override
        public String toString() {
            return "Apply[fn=" + fn + ", a=" + a + "]";
        }
    }

    /**
     * {@code fn(a, b)}.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the result's type
     */
    static final class Apply2<A, B, R> implements Task<R> {
        private static final long serialVersionUID = 1L;
        private final BiFunc<? super A, ? super B, ? extends R> fn;
        private final A a;
        private final B b;

        Apply2(BiFunc<? super A, ? super B, ? extends R> fn, A a, B b) {
            this.fn = fn;
            this.a = a;
            this.b = b;
        }

        @Override
        public R call() throws Exception {
            return fn.apply(a, b);
        }

        @Override
        public String toString() {
            return "Apply2[fn=" + fn + ", a=" + a + ", b=" + b + "]";
        }
    }

    /** {@code command.run()}, for {@link Executor#execute}. */
    static final class Run implements Task<Object> {
        private static final long serialVersionUID = 1L;
        private final Runnable command;

        Run(Runnable command) {
            this.command = command;
        }

        Runnable command() {
            return command;
        }

        @Override
        public Object call() {
            command.run();
            return null;
        }

        @Override
        public String toString() {
            return "Run[command=" + command + "]";
        }
    }

    /**
     * Two map inputs taken in step.
     *
     * @param <A> the first input's type
     * @param <B> the second input's type
     */
    static final class Pair<A, B> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final A a;
        private final B b;

        Pair(A a, B b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public String toString() {
            return "Pair[a=" + a + ", b=" + b + "]";
        }
    }

    /**
     * A two-argument function over pairs, so that map has one code path.
     *
     * @param <A> the first input's type
     * @param <B> the second input's type
     * @param <R> the result's type
     */
    static final class Spread<A, B, R> implements Func<Pair<A, B>, R> {
        private static final long serialVersionUID = 1L;
        private final BiFunc<? super A, ? super B, ? extends R> fn;

        Spread(BiFunc<? super A, ? super B, ? extends R> fn) {
            this.fn = fn;
        }

        @Override
        public R apply(Pair<A, B> p) throws Exception {
            return fn.apply(p.a, p.b);
        }

        @Override
        public String toString() {
            return "Spread[fn=" + fn + "]";
        }
    }

    /**
     * Several map items in one message. The value is an array with one entry per item: its result,
     * or an {@link ItemFailure} holding what that item's call threw, so each item keeps its own
     * outcome.
     *
     * @param <A> the items' type
     * @param <R> the results' type
     */
    static final class Chunk<A, R> implements Task<Object[]> {
        private static final long serialVersionUID = 1L;
        private final Func<? super A, ? extends R> fn;
        private final Object[] args;

        Chunk(Func<? super A, ? extends R> fn, Object[] args) {
            this.fn = fn;
            this.args = args;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object[] call() {
            Object[] out = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                try {
                    out[i] = fn.apply((A) args[i]);
                } catch (Throwable t) {
                    out[i] = new ItemFailure(t);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "Chunk[fn=" + fn + ", " + args.length + " items]";
        }
    }

    /** What one chunk item's call threw. */
    static final class ItemFailure implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Throwable exception;

        ItemFailure(Throwable exception) {
            this.exception = exception;
        }

        Throwable exception() {
            return exception;
        }

        @Override
        public String toString() {
            return "ItemFailure[exception=" + exception + "]";
        }
    }
}

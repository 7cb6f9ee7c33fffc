package futures.core;

import futures.spi.Task;
import java.io.Serializable;

/**
 * The tasks the core builds from user calls. Each is a serializable record, so a pool in another
 * process can run it as it is; none holds a reference to an executor or a future.
 */
final class Calls {
    private Calls() {}

    /** {@code fn(a)}. */
    record Apply<A, R>(Func<? super A, ? extends R> fn, A a) implements Task<R> {
        @Override
        public R call() throws Exception {
            return fn.apply(a);
        }
    }

    /** {@code fn(a, b)}. */
    record Apply2<A, B, R>(BiFunc<? super A, ? super B, ? extends R> fn, A a, B b) implements Task<R> {
        @Override
        public R call() throws Exception {
            return fn.apply(a, b);
        }
    }

    /** {@code command.run()}, for {@link Executor#execute}. */
    record Run(Runnable command) implements Task<Object> {
        @Override
        public Object call() {
            command.run();
            return null;
        }
    }

    /** Two map inputs taken in step. */
    record Pair<A, B>(A a, B b) implements Serializable {}

    /** A two-argument function over pairs, so that map has one code path. */
    record Spread<A, B, R>(BiFunc<? super A, ? super B, ? extends R> fn) implements Func<Pair<A, B>, R> {
        @Override
        public R apply(Pair<A, B> p) throws Exception {
            return fn.apply(p.a(), p.b());
        }
    }

    /**
     * Several map items in one message. The value is an array with one entry per item: its result,
     * or an {@link ItemFailure} holding what that item's call threw, so each item keeps its own
     * outcome.
     */
    record Chunk<A, R>(Func<? super A, ? extends R> fn, Object[] args) implements Task<Object[]> {
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
    }

    /** What one chunk item's call threw. */
    record ItemFailure(Throwable exception) implements Serializable {}
}

package futures.core;

import java.io.Serializable;

/**
 * A call of one argument, for {@link Executor#submit(Func, Object)} and
 * {@link Executor#map(Func, Iterable)}. It is {@link Serializable} so that an inline lambda or
 * method reference crosses to a worker process without a cast, and it may throw checked exceptions.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Func<A, R> extends Serializable {
    /**
     * Applies the call.
     *
     * @param a the argument
     * @return the call's value, which becomes the future's result
     * @throws Exception whatever the call throws; it becomes the future's exception
     */
    R apply(A a) throws Exception;
}

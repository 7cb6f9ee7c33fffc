package futures.core;

import java.io.Serializable;

/**
 * A call of two arguments, for {@link Executor#submit(BiFunc, Object, Object)} and
 * {@link Executor#map(BiFunc, Iterable, Iterable)}; {@link Serializable} like {@link Func}.
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <R> the result type
 */
@FunctionalInterface
public interface BiFunc<A, B, R> extends Serializable {
    /**
     * Applies the call.
     *
     * @param a the first argument
     * @param b the second argument
     * @return the call's value, which becomes the future's result
     * @throws Exception whatever the call throws; it becomes the future's exception
     */
    R apply(A a, B b) throws Exception;
}

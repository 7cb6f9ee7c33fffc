package futures.providers.thread;

import futures.core.Executor;
import futures.core.Executors;

/**
 * Child-JVM program for ExitBehaviourTest: uses an executor, gets a result, and returns from main
 * without shutdown. The JVM must exit: an idle executor never shut down does not keep it alive.
 */
public final class ExitIdleMain {
    private ExitIdleMain() {}

    public static void main(String[] args) {
        Executor ex = Executors.create("thread");
        System.out.println("result " + ex.submit(Math::pow, 5.0, 2.0).result());
    }
}

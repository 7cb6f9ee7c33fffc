package futures.providers.thread;

import futures.core.Executor;
import futures.core.Executors;
import java.util.concurrent.CountDownLatch;

/**
 * Child-JVM program for ExitBehaviourTest: submits a call that can only finish after the JVM has
 * begun to exit (it waits for a shutdown hook of this program), then returns from main without
 * shutting the executor down. The reference: "the entire Python program will not exit until all
 * pending futures are done executing". If the library did not wait, the JVM would end with the
 * call still blocked (its worker is a daemon) and the second line would never be printed.
 */
public final class ExitWithPendingMain {
    private ExitWithPendingMain() {}

    public static void main(String[] args) {
        CountDownLatch exiting = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(exiting::countDown, "release-task"));
        Executor ex = Executors.create("thread");
        ex.submit(() -> {
            exiting.await();
            Thread.sleep(500); // the call's own work, finishing well after the hooks started (not a test wait)
            System.out.println("task finished after the JVM began to exit");
            System.out.flush();
            return null;
        });
        System.out.println("main returns");
        System.out.flush();
    }
}

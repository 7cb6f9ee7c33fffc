package futures.providers.thread;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import futures.testkit.Gate;

/**
 * Child-JVM program for ExitBehaviourTest: like {@link ExitWithPendingMain}, on one thread, with
 * two more calls queued behind the blocked one: the first cancelled, the second not. The exit must
 * wait for the queued call and its done callback, and must not wait for ever on the cancelled one
 * (the thread provider hands its queue back to the core, which then only counts pending calls: the
 * cancelled one counts until the worker reaches it and drops it).
 */
public final class ExitWithQueuedMain {
    private ExitWithQueuedMain() {}

    public static void main(String[] args) {
        Gate gate = Gate.open();
        Runtime.getRuntime().addShutdownHook(new Thread(gate::release, "release-task"));
        Gate.Key key = gate.key();
        Executor ex = Executors.create("thread", ExecutorConfig.builder().maxWorkers(1).build());
        ex.submit(() -> {
            key.pass("task"); // blocks until the JVM has begun to exit
            return "finished";
        });
        Future<String> cancelled = ex.submit(() -> {
            System.out.println("the cancelled call ran");
            return "cancelled";
        });
        Future<String> queued = ex.submit(() -> "queued");
        if (!cancelled.cancel()) {
            throw new AssertionError("a queued call could not be cancelled");
        }
        queued.addDoneCallback(done -> {
            try {
                Thread.sleep(300); // the callback's own work, still running when the future is done (not a test wait)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("call " + done.result() + " ran after the JVM began to exit");
            System.out.flush();
        });
        System.out.println("main returns");
        System.out.flush();
    }
}

package futures.providers.thread;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.testkit.Gate;

/**
 * Child-JVM program for ExitBehaviourTest: submits a call that can only finish after the JVM has
 * begun to exit (it waits at a gate that a shutdown hook of this program opens), then returns from
 * main without shutting the executor down. The reference: "the entire Python program will not exit
 * until all pending futures are done executing". If the library did not wait, the JVM would end
 * with the call still blocked (thread and virtual workers are daemons; a process worker dies with
 * its parent) and the second line would never be printed. The line is printed by a done callback
 * that is still at work after the future is done: the exit waits for callbacks too, as Python's
 * does (they run inside {@code set_result}, in the worker it joins).
 *
 * <p>The provider is the first argument ({@code "thread"} when absent). The gate is a
 * {@link Gate}, so the same call works in a worker process.
 */
public final class ExitWithPendingMain {
    private ExitWithPendingMain() {}

    public static void main(String[] args) {
        String provider = args.length > 0 ? args[0] : "thread";
        Gate gate = Gate.open();
        Runtime.getRuntime().addShutdownHook(new Thread(gate::release, "release-task"));
        Gate.Key key = gate.key();
        Executor ex = Executors.create(provider);
        Future<String> f = ex.submit(() -> {
            key.pass("task"); // blocks until the JVM has begun to exit
            return "finished";
        });
        f.addDoneCallback(done -> {
            try {
                Thread.sleep(300); // the callback's own work, still running when the future is done (not a test wait)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("task " + done.result() + " after the JVM began to exit");
            System.out.flush();
        });
        System.out.println("main returns");
        System.out.flush();
    }
}

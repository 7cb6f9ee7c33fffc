package futures.providers.process;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import futures.testkit.Gate;
import java.util.ArrayList;
import java.util.List;

/**
 * The parent JVM of {@link ParentKilledTest}: opens a process pool of two workers and gives each a
 * long task that first prints {@code WORKER <pid>} on the (inherited) stdout. Then it waits for the
 * tasks, until the test kills it with SIGKILL.
 */
public final class KillParentMain {
    private KillParentMain() {}

    /**
     * Starts the pool and waits. With the argument {@code exit-normally} it instead runs two short
     * tasks (each also prints {@code STDOUT OF WORKER <pid>} and {@code STDERR OF WORKER <pid>} in its
     * worker), prints {@code WORKER <pid>} for each worker that ran one, and returns from {@code main}
     * without shutting the executor down, so the JVM ends normally with idle workers. With {@code park}
     * it runs two tasks at once, shuts the executor down (its two workers are parked), prints
     * {@code PARKED [<pid>, <pid>]} and waits to be killed.
     */
    public static void main(String[] args) {
        Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(2).build());
        if (args.length > 0 && args[0].equals("park")) { // WorkerParkTest: two workers parked, then wait to be killed
            List<Future<Long>> pids = new ArrayList<>();
            try (Gate both = Gate.open()) { // each task holds its worker until both run: two workers served
                Gate.Key key = both.key();
                for (int i = 0; i < 2; i++) {
                    String tag = "task " + i;
                    pids.add(ex.submit(() -> {
                        key.pass(tag);
                        return ProcessHandle.current().pid();
                    }));
                }
                both.awaitArrivals(2);
                both.release();
                pids.forEach(Future::result);
            }
            ex.shutdown(true);
            System.out.println("PARKED " + WorkerPark.pids());
            System.out.flush();
            while (true) {
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        if (args.length > 0 && args[0].equals("exit-normally")) {
            List<Future<Long>> pids = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                pids.add(ex.submit(() -> {
                    long pid = ProcessHandle.current().pid();
                    System.out.println("STDOUT OF WORKER " + pid);
                    System.err.println("STDERR OF WORKER " + pid);
                    System.out.flush();
                    System.err.flush();
                    return pid;
                }));
            }
            pids.stream().map(Future::result).distinct().forEach(pid -> System.out.println("WORKER " + pid));
            System.out.println("PARENT " + ProcessHandle.current().pid());
            System.out.flush();
            return; // the executor is idle and never shut down: the JVM must still exit, and its workers with it
        }
        List<Future<Object>> fs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            fs.add(ex.submit(() -> {
                System.out.println("WORKER " + ProcessHandle.current().pid());
                System.out.flush();
                Thread.sleep(600_000); // a long task, cut short by the parent's death
                return null;
            }));
        }
        System.out.println("PARENT " + ProcessHandle.current().pid());
        System.out.flush();
        fs.forEach(Future::exception);
    }
}

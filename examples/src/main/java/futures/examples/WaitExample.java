package futures.examples;

import futures.core.DoneAndNotDone;
import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.core.Futures;
import futures.core.ReturnWhen;
import futures.core.WaitTimeoutException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The reference's module functions {@code wait} and {@code as_completed}, with output that is the
 * same on every run: the tasks wait on latches that this example opens one at a time, so what is
 * done at each step is known. Nothing here sleeps; the two timeouts are short and meet tasks that
 * are certain to be still waiting.
 *
 * <pre>
 * done, not_done = wait(fs, return_when=FIRST_COMPLETED)
 * done, not_done = wait(fs, timeout=0.05)
 * done, not_done = wait(fs)                         # ALL_COMPLETED
 * done, not_done = wait(fs, return_when=FIRST_EXCEPTION)
 * for future in as_completed(future_to_name): ...
 * </pre>
 */
public final class WaitExample {
    private static final Duration SHORT = Duration.ofMillis(50);

    private WaitExample() {}

    public static void run(PrintStream out) {
        List<CountDownLatch> gates = new ArrayList<>();
        try (Executor executor = Executors.threadPool(4)) {
            try {
                Map<Future<?>, String> names = new LinkedHashMap<>();

                // wait(..., FIRST_COMPLETED) returns as soon as one future is done.
                Future<String> quick = executor.submit(() -> "quick");
                CountDownLatch slowGate = gate(gates);
                Future<String> slow = executor.submit(() -> {
                    slowGate.await();
                    return "slow";
                });
                names.put(quick, "quick");
                names.put(slow, "slow");
                List<Future<String>> both = List.of(quick, slow);
                print(out, "wait(FIRST_COMPLETED)", Futures.wait(both, ReturnWhen.FIRST_COMPLETED), names);

                // On timeout wait returns, without raising, what is done and what is not.
                print(out, "wait(timeout=50ms)", Futures.wait(List.of(slow), SHORT), names);

                // ALL_COMPLETED, the default, returns when every future is done.
                slowGate.countDown();
                print(out, "wait(ALL_COMPLETED)", Futures.wait(both), names);

                // FIRST_EXCEPTION returns when a future finishes by raising.
                Future<String> failing = executor.submit(() -> {
                    throw new IllegalStateException("no such page");
                });
                CountDownLatch pendingGate = gate(gates);
                Future<String> waiting = executor.submit(() -> {
                    pendingGate.await();
                    return "waiting";
                });
                names.put(failing, "failing");
                names.put(waiting, "waiting");
                print(out, "wait(FIRST_EXCEPTION)",
                        Futures.wait(List.of(waiting, failing), ReturnWhen.FIRST_EXCEPTION), names);
                out.println("failing raised " + failing.exception());
                pendingGate.countDown();
                waiting.result();

                // as_completed yields the futures already done first, then the others as they
                // complete. The gates are opened in the order c, a, b, so that is the order seen.
                Map<Future<String>, String> futureToName = new LinkedHashMap<>();
                Map<String, CountDownLatch> gateOf = new LinkedHashMap<>();
                for (String name : List.of("a", "b", "c")) {
                    CountDownLatch g = gate(gates);
                    gateOf.put(name, g);
                    futureToName.put(executor.submit(() -> {
                        g.await();
                        return name.toUpperCase();
                    }), name);
                }
                Future<String> early = executor.submit(() -> "EARLY");
                early.result();
                futureToName.put(early, "early");

                Iterator<Future<String>> completed = Futures.asCompleted(futureToName.keySet()).iterator();
                List<String> openOrder = List.of("c", "a", "b");
                for (int i = 0; completed.hasNext(); i++) {
                    if (i > 0) { // the first one out is the future that was already done
                        gateOf.get(openOrder.get(i - 1)).countDown();
                    }
                    Future<String> f = completed.next();
                    out.println("as_completed: " + futureToName.get(f) + " returned " + f.result());
                }

                // as_completed's iterator raises TimeoutError when the next future is late.
                CountDownLatch lateGate = gate(gates);
                Future<String> late = executor.submit(() -> {
                    lateGate.await();
                    return "late";
                });
                try {
                    Futures.asCompleted(List.of(late), SHORT).iterator().next();
                    throw new AssertionError("as_completed did not time out on a future that cannot finish");
                } catch (WaitTimeoutException timeout) {
                    out.println("as_completed(timeout=50ms): " + timeout.getMessage());
                }
            } finally {
                // No task may be left waiting: close() below waits for every one.
                gates.forEach(CountDownLatch::countDown);
            }
        }
    }

    private static CountDownLatch gate(List<CountDownLatch> gates) {
        CountDownLatch g = new CountDownLatch(1);
        gates.add(g);
        return g;
    }

    private static void print(PrintStream out, String call, DoneAndNotDone<? extends Future<?>> r,
            Map<Future<?>, String> names) {
        out.println(call + ": done=" + namesOf(r.done(), names) + " not_done=" + namesOf(r.notDone(), names));
    }

    private static List<String> namesOf(Collection<? extends Future<?>> fs, Map<Future<?>, String> names) {
        return fs.stream().map(names::get).toList();
    }

    public static void main(String[] args) {
        run(System.out);
    }
}

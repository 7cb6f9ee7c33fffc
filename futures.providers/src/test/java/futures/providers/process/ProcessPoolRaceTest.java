package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failure paths of the process pool that broke it or lost an item.
 *
 * <p>A thread's interrupt status is the user's business, never the pool's: a Unix-domain
 * {@code SocketChannel} is an {@code InterruptibleChannel}, so a read or write made by a thread whose
 * interrupt status is set closes the channel, and a closed channel is a dead worker, which breaks
 * the pool. The first three tests set the status in each thread that touches a worker's channel.
 * Then a queued future settled by hand, which made dispatch throw with an item in hand, and
 * shutdown(wait=true) returning while a break was still failing futures.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolRaceTest {
    private final List<Executor> executors = new ArrayList<>();
    private final List<RemoteGate> gates = new ArrayList<>();

    private Executor pool(int workers) {
        Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(workers).build());
        executors.add(ex);
        return ex;
    }

    @AfterEach
    void tearDown() throws Exception {
        Thread.interrupted();
        for (RemoteGate g : gates) {
            g.close();
        }
        for (Executor ex : executors) {
            ex.shutdown(true, true);
        }
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    @Test
    @DisplayName("a submitter whose interrupt status is set hands its task to an idle worker, keeps its status, and the pool keeps serving")
    void interruptedSubmitter() {
        Executor ex = pool(1);
        long worker = ex.submit(ProcessPoolRaceTest::pid).result(); // the worker is now idle and READY
        Thread.currentThread().interrupt();
        Future<Long> f = ex.submit(ProcessPoolRaceTest::pid); // written to the worker by this thread
        assertTrue(Thread.interrupted(), "submit leaves the caller's interrupt status as it was");
        assertEquals(worker, f.result(), "the task ran on the same worker: the pool did not break");
        assertEquals(worker, ex.submit(ProcessPoolRaceTest::pid).result());
    }

    @Test
    @DisplayName("a task that leaves its thread's interrupt status set still reports its value, and its worker keeps serving")
    void taskLeavesInterruptSet() {
        Executor ex = pool(1);
        long worker = ex.submit(ProcessPoolRaceTest::pid).result();
        Future<Integer> f = ex.submit(() -> {
            Thread.currentThread().interrupt(); // as a task does that restores the status after an InterruptedException
            return 42;
        });
        assertEquals(42, f.result());
        assertEquals(worker, ex.submit(ProcessPoolRaceTest::pid).result());
    }

    @Test
    @DisplayName("a done-callback that sets the interrupt status of the pool's thread running it does not break the pool")
    void callbackInterruptsPoolThread() throws Exception {
        Executor ex = pool(1);
        RemoteGate gate = new RemoteGate();
        gates.add(gate);
        RemoteGate.Pass pass = gate.pass();
        Future<Boolean> blocker = ex.submit(pass::await);
        gate.awaitArrivals(1); // the task runs, so the callback below runs in the pool's thread
        blocker.addDoneCallback(d -> Thread.currentThread().interrupt());
        gate.release();
        assertTrue(blocker.result());
        long worker = ex.submit(ProcessPoolRaceTest::pid).result();
        assertEquals(worker, ex.submit(ProcessPoolRaceTest::pid).result());
    }

    @Test
    @DisplayName("a queued future that its user settles with setResult is skipped, and the pool keeps serving")
    void userSettledQueuedFuture() throws Exception {
        Executor ex = pool(1);
        RemoteGate gate = new RemoteGate();
        gates.add(gate);
        RemoteGate.Pass pass = gate.pass();
        Future<Boolean> blocker = ex.submit(pass::await);
        gate.awaitArrivals(1);
        Future<Long> queued = ex.submit(ProcessPoolRaceTest::pid);
        queued.setResult(-1L); // Python allows it; the pool then finds it finished when it dispatches
        Future<Long> after = ex.submit(ProcessPoolRaceTest::pid);
        gate.release();
        assertTrue(blocker.result());
        assertTrue(after.result() > 0, "the pool did not break");
        assertEquals(-1L, queued.result());
    }

    @Test
    @DisplayName("when a worker dies, shutdown(wait=true) returns only after every future the break fails is done")
    void shutdownWaitsForTheBreakToFailEverything() throws Exception {
        Executor ex = pool(1);
        long worker = ex.submit(ProcessPoolRaceTest::pid).result();
        RemoteGate gate = new RemoteGate();
        gates.add(gate);
        RemoteGate.Pass pass = gate.pass();
        Future<Boolean> running = ex.submit(pass::await);
        gate.awaitArrivals(1);
        Future<Long> first = ex.submit(ProcessPoolRaceTest::pid);
        Future<Long> second = ex.submit(ProcessPoolRaceTest::pid);
        CountDownLatch callbackEntered = new CountDownLatch(1);
        CountDownLatch shutdownReturned = new CountDownLatch(1);
        // The break fails `first` before `second` and `running`; its callback holds the breaking
        // thread. Bounded, so that a correct shutdown (which waits for this callback) goes on.
        first.addDoneCallback(f -> {
            callbackEntered.countDown();
            try {
                shutdownReturned.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ProcessHandle.of(worker).orElseThrow().destroyForcibly();
        callbackEntered.await();
        CompletableFuture<Boolean> allDoneAtReturn = CompletableFuture.supplyAsync(() -> {
            ex.shutdown(true);
            boolean allDone = second.done() && running.done();
            shutdownReturned.countDown();
            return allDone;
        });
        assertTrue(allDoneAtReturn.get(), "shutdown(wait=true) returned while the break was still failing futures");
    }
}

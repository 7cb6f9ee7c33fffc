package futures.moduletests;

import futures.spi.BrokenExecutorException;
import futures.spi.Task;
import futures.spi.WorkItem;
import futures.spi.WorkerPool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The pool of {@link SerializingProvider}: a fixed pool of daemon threads (the JDK's
 * {@link ThreadPoolExecutor}, which queues in order and rejects after shutdown). A worker marks the
 * item running, deserializes a copy of its task from bytes written on the submitting thread, runs
 * the copy, and reports a deserialized copy of the value or exception. A task or outcome that
 * cannot be serialized fails its own item with {@link NotSerializableException}, as on a process
 * pool.
 *
 * <p>Invariants: all state is the JDK pool's, which is thread-safe; {@code WORKER} marks this pool's
 * threads so a waiting shutdown from a task fails instead of waiting for itself.
 */
final class SerializingPool implements WorkerPool {
    private static final ThreadLocal<SerializingPool> WORKER = new ThreadLocal<>();

    private final int maxWorkers;
    private final ThreadPoolExecutor threads;

    SerializingPool(int maxWorkers) {
        this.maxWorkers = maxWorkers;
        this.threads = new ThreadPoolExecutor(maxWorkers, maxWorkers, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(() -> {
                        WORKER.set(this);
                        r.run();
                    }, "serializing-worker");
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public void execute(WorkItem item) {
        byte[] task;
        try {
            task = toBytes(item.task()); // on the submitting thread, as a process pool sends it
        } catch (IOException e) {
            threads.execute(() -> {
                if (item.markRunning()) {
                    item.fail(e); // the task's own future fails; the pool keeps serving
                }
            });
            return;
        }
        threads.execute(() -> run(item, task));
    }

    private static void run(WorkItem item, byte[] task) {
        if (!item.markRunning()) {
            return;
        }
        Object outcome;
        boolean ok;
        try {
            outcome = ((Task<?>) fromBytes(task)).call();
            ok = true;
        } catch (Throwable t) {
            outcome = t;
            ok = false;
        }
        Object copy;
        try {
            copy = fromBytes(toBytes(outcome));
        } catch (IOException | ClassNotFoundException e) {
            item.fail(e);
            return;
        }
        if (ok) {
            item.complete(copy);
        } else {
            item.fail((Throwable) copy);
        }
    }

    private static byte[] toBytes(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object fromBytes(byte[] b) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
            return in.readObject();
        }
    }

    @Override
    public void shutdown(boolean wait) {
        threads.shutdown();
        if (!wait) {
            return;
        }
        if (WORKER.get() == this) {
            throw new IllegalStateException(
                    "shutdown(wait=true) called from a task of this executor would wait for itself; use shutdown(false)");
        }
        boolean interrupted = false;
        while (true) {
            try {
                if (threads.awaitTermination(1, TimeUnit.DAYS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int maxWorkers() {
        return maxWorkers;
    }

    @Override
    public BrokenExecutorException broken() {
        return null;
    }
}

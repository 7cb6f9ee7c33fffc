package futures.providers.process;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The process pools' own threads, shared by every pool of the JVM: each worker's thread (it starts
 * or adopts the worker's process and reads its replies, {@code ProcessPool.runWorker}) and each
 * pool's {@link Sender} loop run on one of these. A thread that finishes its job waits up to
 * {@value #KEEP_ALIVE_SECONDS} s for the next one before it ends, so a program that makes a pool
 * per request (whose workers come warm from the {@link WorkerPark}) hands the next pool's worker
 * to a waiting thread instead of starting one per pool: a thread start was ~0.6-0.8 ms of such a
 * cycle on a loaded 2-core machine.
 *
 * <p>There is no bound on the number of threads, as before they were shared: each runs one
 * worker's or one sender's whole job, which may block for as long as the worker lives, so a
 * bounded pool could leave a worker without a reader. Every thread is a daemon {@link OwnThread}
 * made with no inheritable thread-locals (it is made by whichever thread first needs one, which
 * says nothing about the jobs it runs later). Each job gets, for its duration, a name of its own
 * and the context class loader of the thread that asked for it (as a thread made for it would
 * have inherited); afterwards the thread is renamed idle, its context class loader is cleared (an
 * idle thread keeps no user's loader alive) and its interrupt status is cleared.
 *
 * <p>Invariants, guarded by {@code LOCK}: {@code spare} is the number of threads between the end
 * of a job and the end of their wait (counted from just after the job, so a pool that asks right
 * after the previous pool's thread finished gets that thread) minus the jobs queued in
 * {@code JOBS}, so never negative: {@link #start} queues a job only while {@code spare > 0}, and a
 * thread whose wait ended empty-handed leaves only after finding {@code JOBS} empty under the lock,
 * so no job is ever queued with no thread to take it.
 */
final class WorkerThreads {
    private WorkerThreads() {}

    /** How long an idle thread waits for another job before it ends. */
    static final long KEEP_ALIVE_SECONDS = 10;
    private static final String IDLE_NAME = "futures-process-idle";

    /** The pools' own threads: the reply readers of workers and the {@link Sender} loops write to channels directly. */
    static final class OwnThread extends Thread {
        OwnThread(Runnable task) {
            super(null, task, IDLE_NAME, 0, false); // no inheritable thread-locals of whoever made it
            setDaemon(true);
        }
    }

    private static final Object LOCK = new Object();
    /** Jobs handed to waiting threads and not yet taken by one. */
    private static final LinkedBlockingQueue<Runnable> JOBS = new LinkedBlockingQueue<>();
    /** Waiting threads no job is handed to yet: those waiting minus {@code JOBS.size()}; guarded by {@link #LOCK}. */
    private static int spare;
    /** Threads alive, busy or waiting; guarded by {@link #LOCK}. */
    private static int threads;

    /**
     * Runs {@code job} on a waiting thread, or on a new one if none waits.
     *
     * @param name the thread's name while it runs {@code job}
     * @throws Error (out of memory for a stack, a thread limit) if no thread could be started for it
     */
    static void start(String name, Runnable job) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Runnable named = () -> {
            Thread t = Thread.currentThread();
            t.setName(name);
            t.setContextClassLoader(loader);
            try {
                job.run();
            } finally {
                t.setContextClassLoader(null);
                t.setName(IDLE_NAME);
                Thread.interrupted();
            }
        };
        synchronized (LOCK) {
            if (spare > 0) {
                spare--;
                JOBS.add(named); // a waiting thread takes it: spare counted one more waiting than jobs queued
                return;
            }
            threads++;
        }
        try {
            new OwnThread(() -> serve(named)).start();
        } catch (Throwable e) {
            synchronized (LOCK) {
                threads--;
            }
            throw e;
        }
    }

    /** A thread's life: its first job, then each job handed to it, until it waits {@value #KEEP_ALIVE_SECONDS} s for none. */
    private static void serve(Runnable first) {
        Runnable job = first;
        while (true) {
            try {
                job.run();
            } catch (Throwable e) {
                // the job's own business (a worker's thread catches everything); the thread serves on
            }
            synchronized (LOCK) {
                spare++;
            }
            try {
                job = JOBS.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                job = null; // nothing interrupts these threads on purpose; decide below, under the lock
            }
            if (job == null) {
                synchronized (LOCK) {
                    job = JOBS.poll(); // handed to this thread as it gave up waiting
                    if (job == null) {
                        spare--;
                        threads--;
                        return;
                    }
                }
            }
        }
    }

    /** How many threads exist now, busy or idle: a test's seam. */
    static int size() {
        synchronized (LOCK) {
            return threads;
        }
    }
}

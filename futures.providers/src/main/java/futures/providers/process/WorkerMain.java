package futures.providers.process;

import futures.spi.Initializer;
import futures.spi.RemoteTaskException;
import futures.spi.Task;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The main class of a worker process: {@code WorkerMain <socket path> <parent pid> <fingerprint>}.
 *
 * <p>It connects to the parent's socket, then a daemon thread checks that this worker's
 * serialization format is the parent's ({@link Codec#fingerprint()}) and reads frames into a queue while the
 * main thread runs them one at a time (the initializer first, if the parent sends one) and writes
 * each outcome back. The worker ends, without running shutdown hooks (as Python's workers end with
 * {@code os._exit}), when:
 * <ul>
 *   <li>the channel reaches end of stream, whether the parent closed it (shutdown, retirement
 *       after {@code max_tasks_per_child}) or died: exit code 0, even in the middle of a task;</li>
 *   <li>the parent process is gone (a backup for the above, which is much faster): exit code 0;</li>
 *   <li>the initializer threw: exit code 1, after reporting it;</li>
 *   <li>a frame is corrupted: exit code 2;</li>
 *   <li>its serialization format is not the parent's ({@link Codec#fingerprint()}): exit code 5;</li>
 *   <li>it cannot load the futures classes: exit code 6;</li>
 *   <li>a call threw an error after which this JVM is not trusted (an {@link OutOfMemoryError}, or
 *       another {@link VirtualMachineError} but a {@link StackOverflowError}): the error is sent as
 *       the call's exception ({@link FrameChannel#LAST_ERROR}), then exit code 0; the parent
 *       replaces the worker without counting its exit as a death. If even that report fails, or
 *       such an error escapes the worker's own code: exit code {@value #OUT_OF_MEMORY_EXIT}, a
 *       death.</li>
 * </ul>
 * A task's own {@code System.exit}, a signal, or {@code -XX:+ExitOnOutOfMemoryError} given in
 * {@code jvm_options} (exit code 3) end it too; the parent then breaks the pool, or with
 * {@code on_worker_death=fail_call} fails the call. Printing to {@code System.out} is harmless: the
 * channel is the socket, not stdout.
 *
 * <p>A worker may serve several pools of one parent in turn: a pool that shuts down can hand its
 * idle worker to the parent's {@link WorkerPark} ({@link FrameChannel#PARK}, which the reader thread
 * answers) and a later pool takes it over with the same channel; the worker sees only a pause
 * between two tasks. What tasks leave in its JVM (static fields, loaded classes) stays, as it does
 * between the tasks of one pool.
 *
 * <p>Out of memory: the worker runs without {@code -XX:+ExitOnOutOfMemoryError}, so that an
 * {@code OutOfMemoryError} thrown by a call is that call's exception, as CPython returns a
 * {@code MemoryError}. To report it, it first lets go of the call and of a reserve of
 * {@value #RESERVE_BYTES} bytes held from the start for this, so the report has room even when what
 * filled the heap is still reachable (a static field, say). An {@code OutOfMemoryError} in a thread
 * the call started is that thread's, as on the thread provider.
 *
 * <p>Threads: only the reader thread reads the channel; the main thread writes it (and so may a
 * task's own thread that loads a class the worker fetches from the parent, and the reader thread
 * its answer to {@link FrameChannel#PARK}, while the main thread has nothing to write); they share nothing but
 * {@code inbox} (a {@code LinkedBlockingQueue}), the channel's own write monitor, and
 * {@link RemoteClasses}, to which the reader hands the parent's answers to class requests (its own
 * invariants are in its comment). A
 * third thread, started after the first frame, watches the parent and shares nothing; a fourth
 * warms up serialization while the main thread connects ({@link WarmUp}) and shares nothing
 * either. The main thread's start path uses no lambdas or string concatenation: each would
 * bootstrap {@code invokedynamic} machinery on it before the worker connects.
 */
public final class WorkerMain {
    /**
     * This process's pid, for messages only. A holder, not a field of this class: the first
     * {@code ProcessHandle.current()} initializes {@code ProcessHandleImpl}, whose set-up
     * bootstraps lambdas (~10 ms in a fresh JVM) that the start path need not wait for.
     */
    private static final class Pid {
        static final long PID = ProcessHandle.current().pid();
    }

    private WorkerMain() {}

    /** The exit code of a worker that cannot load the futures classes (its class path lacks a futures jar). */
    static final int MISSING_EXIT = 6;

    /**
     * The exit code of a worker that ran out of memory (or met another error after which it is not
     * trusted) and could not report it: 3, as {@code -XX:+ExitOnOutOfMemoryError} exits.
     */
    static final int OUT_OF_MEMORY_EXIT = 3;

    /** The size of {@link #reserve}. */
    static final int RESERVE_BYTES = 1 << 20;

    /**
     * Memory held from the start and let go when a call runs out of memory, so that reporting the
     * error has room ({@link #failFatally}); also let go before the worker halts, since even code
     * run for the first time allocates (to link it). Set by the main thread; any thread may clear it.
     */
    private static volatile byte[] reserve;

    /**
     * Runs a worker.
     *
     * @param args the parent's socket path, the parent's pid and the parent's
     *     {@link Codec#fingerprint()}
     * @throws IOException if the socket cannot be reached
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: WorkerMain <socket path> <parent pid> <fingerprint>; this class is started by"
                    + " the futures process provider, not by hand");
            halt(64);
        }
        long parent = Long.parseLong(args[1]);
        Thread warmUp = startWarmUp();
        FrameChannel channel = new FrameChannel(connect(UnixDomainSocketAddress.of(Path.of(args[0])), parent));
        RemoteClasses classes = new RemoteClasses(channel);
        LinkedBlockingQueue<FrameChannel.Frame> inbox = new LinkedBlockingQueue<>();
        Thread reader = new Thread(new Reader(channel, inbox, args[2], classes), "futures-worker-reader");
        reader.setDaemon(true);
        reader.start();
        // The warm-up overlaps the connecting only: no user code (initializer, task) runs beside it,
        // so a JVM-wide serial filter an initializer installs never sees the warm-up's stream, and
        // the user's code sees the JVM as without a warm-up. Holding no class-initialization lock
        // here, this thread cannot be part of a deadlock with it; what could hang it would hang the
        // first deserialization just the same.
        if (warmUp != null) {
            awaitEnd(warmUp);
        }

        reserve = new byte[RESERVE_BYTES];
        fatal(new InternalError()); // links the check now: linking allocates, which a full heap refuses
        Thread watch = null;
        try {
            while (true) {
                FrameChannel.Frame f;
                try {
                    f = inbox.take();
                } catch (InterruptedException e) {
                    continue; // nothing interrupts this thread on purpose; a task's stray interrupt is ignored
                }
                Thread.interrupted();
                switch (f.type()) {
                    case FrameChannel.INIT -> initialize(channel, f, classes);
                    case FrameChannel.TASK -> run(channel, f, classes);
                    default -> {
                        System.err.println("futures worker pid " + Pid.PID + ": unknown frame type " + f.type()
                                + "; exiting");
                        halt(2);
                    }
                }
                if (watch == null) {
                    // only now: its set-up (~15 ms of CPU) must not compete with the first answer
                    watch = new Thread(new ParentWatch(parent), "futures-worker-parent-watch");
                    watch.setDaemon(true);
                    watch.start();
                }
            }
        } catch (Throwable e) { // out of memory in the worker's own code: the parent sees a death
            halt(OUT_OF_MEMORY_EXIT);
        }
    }

    /** Starts the {@link WarmUp} thread, or returns null if no thread can be made: it is only an optimization. */
    private static Thread startWarmUp() {
        try {
            Thread t = new Thread(new WarmUp(), "futures-worker-warm-up");
            t.setDaemon(true);
            t.start();
            return t;
        } catch (Throwable noThread) { // OutOfMemoryError: unable to create native thread
            return null;
        }
    }

    /** Waits until {@code t} has ended; an interrupt does not stop the wait (nothing interrupts this thread on purpose). */
    private static void awaitEnd(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void initialize(FrameChannel channel, FrameChannel.Frame f, RemoteClasses classes) {
        try {
            ((Initializer) Codec.deserialize(f.payload(), classes)).run();
        } catch (Throwable e) {
            try {
                channel.write(FrameChannel.INIT_FAILED, 0, failurePayload(e));
            } catch (IOException | RuntimeException ignored) {
                // the parent still sees exit code 1
            }
            halt(1);
        }
    }

    private static void run(FrameChannel channel, FrameChannel.Frame f, RemoteClasses classes) {
        long id = f.id();
        Object value;
        try {
            Task<?> task;
            try {
                task = (Task<?>) Codec.deserialize(f.payload(), classes);
            } catch (Throwable e) {
                if (fatal(e)) {
                    failFatally(channel, id, e);
                }
                send(channel, FrameChannel.ERROR, id, failurePayload(Codec.transferFailure(
                        "the task could not be deserialized in worker pid " + Pid.PID, e)));
                return;
            }
            try {
                value = task.call();
            } catch (ClassCastException e) {
                send(channel, FrameChannel.ERROR, id, failurePayload(mergedMethodReference(task, e)));
                return;
            } catch (Throwable e) {
                if (fatal(e)) {
                    task = null; // let go of what the call holds before reporting
                    failFatally(channel, id, e);
                }
                send(channel, FrameChannel.ERROR, id, failurePayload(e));
                return;
            }
            task = null;
            byte[] bytes;
            try {
                bytes = Codec.serializeOutcome(value);
            } catch (Throwable e) {
                String type = value == null ? "null" : value.getClass().getName();
                if (fatal(e)) {
                    value = null;
                    failFatally(channel, id, e);
                }
                send(channel, FrameChannel.ERROR, id, failurePayload(Codec.transferFailure(
                        "the task's result of " + type + " could not be serialized in worker pid " + Pid.PID, e)));
                return;
            }
            send(channel, FrameChannel.RESULT, id, bytes);
        } finally {
            System.out.flush();
            System.err.flush();
        }
    }

    /**
     * Whether {@code e} leaves this JVM untrusted, so that the worker reports it and exits: an
     * {@link OutOfMemoryError} or another {@link VirtualMachineError} ({@link InternalError},
     * {@link UnknownError}). A {@link StackOverflowError} is not: the stack it used is unwound by
     * the time it is caught, and the worker goes on.
     */
    static boolean fatal(Throwable e) {
        return e instanceof VirtualMachineError && !(e instanceof StackOverflowError);
    }

    /**
     * Reports {@code e} as the exception of call {@code id} in a {@link FrameChannel#LAST_ERROR}
     * frame, after letting go of {@link #reserve} (first of all: even linking the code that follows,
     * run for the first time, allocates), then ends the worker with exit code 0 (the
     * parent retires it on that frame). If the report cannot be made or sent, ends it with
     * {@link #OUT_OF_MEMORY_EXIT}, which the parent takes for the worker's death. Never returns.
     */
    private static void failFatally(FrameChannel channel, long id, Throwable e) {
        reserve = null;
        try {
            byte[] payload = failurePayload(e);
            if (payload.length > Limit.MAX_MESSAGE) { // the parent would refuse it: the error alone, without its stack
                String m = e.getClass().getName() + ": " + e.getMessage()
                        + " (its stack trace left out: the report was over max_message_size)";
                Error brief = e instanceof OutOfMemoryError ? new OutOfMemoryError(m) : new InternalError(m);
                brief.setStackTrace(new StackTraceElement[0]);
                payload = failurePayload(brief);
            }
            if (payload.length <= 4 || payload.length > Limit.MAX_MESSAGE) {
                // empty parts (neither the error nor a stand-in could be serialized), or still too large
                halt(OUT_OF_MEMORY_EXIT);
            }
            channel.write(FrameChannel.LAST_ERROR, id, payload);
        } catch (IOException gone) {
            halt(0); // the parent is gone
        } catch (Throwable again) {
            halt(OUT_OF_MEMORY_EXIT);
        }
        halt(0);
    }

    /**
     * {@code e}, or when it looks like JDK-8208752 a {@link ClassCastException} saying so (with
     * {@code e}'s stack trace and cause): javac gives serializable method references that differ
     * only in their generic types ({@code X::identity} as a {@code Func<String, String>} and as a
     * {@code Func<Integer, Integer>}, in one class) one deserialization, which casts to the first
     * one's types, so the second one's argument fails the cast in the JDK's lambda class. That class's
     * frames are hidden, so the exception's first frame is the core's call of the function
     * ({@code futures.core.Calls}): the function's own code never ran. On "thread" the same call works.
     */
    static Throwable mergedMethodReference(Task<?> task, ClassCastException e) {
        StackTraceElement[] trace = e.getStackTrace();
        if (trace.length == 0 || !trace[0].getClassName().startsWith("futures.core.Calls$")
                || !task.getClass().getName().startsWith("futures.core.Calls$")) {
            return e;
        }
        ClassCastException hinted = new ClassCastException(e.getMessage() + MERGED_HINT);
        hinted.setStackTrace(trace);
        if (e.getCause() != null) {
            hinted.initCause(e.getCause());
        }
        for (Throwable s : e.getSuppressed()) {
            hinted.addSuppressed(s);
        }
        return hinted;
    }

    /** What {@link #mergedMethodReference} adds to the message. */
    static final String MERGED_HINT = " [in a worker process, before the function's own code ran: probably"
            + " JDK-8208752, javac deserializes serializable method references that differ only in their"
            + " generic types (such as X::identity used as a Func<String, String> and as a Func<Integer, Integer>"
            + " in one class) with the types of the first one. Workaround: write a lambda (x -> X.identity(x))"
            + " instead of the method reference; see docs/process-provider.md]";

    /** The exception as itself (or a stand-in where it cannot be serialized), and a stand-in. */
    private static byte[] failurePayload(Throwable e) {
        byte[] original;
        byte[] standIn;
        try {
            standIn = Codec.serializePlain(RemoteTaskException.standIn(e,
                    "the original could not be deserialized in the parent"));
        } catch (Throwable bad) {
            standIn = new byte[0];
        }
        try {
            original = Codec.serializeOutcome(e);
        } catch (Throwable bad) {
            original = new byte[0];
        }
        return FrameChannel.twoParts(original, standIn);
    }

    /**
     * The system property that carries the pool's {@code max_message_size} to its workers, when it
     * is not the default: the parent refuses a larger message (and kills the worker), so a larger
     * result or exception is replaced here by an error that says so, and only its task fails.
     */
    static final String MAX_MESSAGE_PROPERTY = "futures.process.max_message_size";

    /** See {@link #MAX_MESSAGE_PROPERTY}. */
    private static final class Limit {
        static final int MAX_MESSAGE = Integer.getInteger(MAX_MESSAGE_PROPERTY, ProcessPool.DEFAULT_MAX_MESSAGE_SIZE);
    }

    private static void send(FrameChannel channel, byte type, long id, byte[] payload) {
        if (payload.length > Limit.MAX_MESSAGE && type != FrameChannel.INIT_FAILED) {
            String what = type == FrameChannel.RESULT ? "result" : "exception";
            payload = failurePayload(new java.io.UncheckedIOException("the task's " + what + " could not be sent to"
                    + " the parent from worker pid " + Pid.PID + ": its " + payload.length + " bytes are more than"
                    + " max_message_size (" + Limit.MAX_MESSAGE + " bytes); raise max_message_size or return less",
                    new java.io.IOException("message too large")));
            type = FrameChannel.ERROR;
        }
        try {
            channel.write(type, id, payload);
        } catch (IOException e) {
            halt(0); // the parent is gone
        }
    }

    /**
     * Connects to the parent's socket, which the parent binds just after starting this process:
     * a connect that finds no socket yet (or one not yet listening) is retried every millisecond
     * for up to {@value #CONNECT_RETRY_SECONDS} s while the parent lives. If the parent is gone,
     * the worker ends with exit code 0: there is nobody to report to.
     */
    static SocketChannel connect(UnixDomainSocketAddress address, long parent) throws IOException {
        long deadline = System.nanoTime() + CONNECT_RETRY_SECONDS * 1_000_000_000L;
        while (true) {
            try {
                return SocketChannel.open(address);
            } catch (java.net.SocketException notYet) {
                java.util.Optional<ProcessHandle> p = ProcessHandle.of(parent);
                if (p.isEmpty() || !p.get().isAlive()) {
                    halt(0);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw notYet;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException("interrupted while connecting to the pool");
                }
            }
        }
    }

    /** How long a worker retries its first connect (the parent kills a worker that has not connected after 120 s). */
    static final long CONNECT_RETRY_SECONDS = 60;

    /**
     * Reads frames into the inbox until the channel ends, then ends the worker. First it checks
     * that this worker's {@link Codec#fingerprint()} is the parent's, so that no frame is read in
     * a format the two ends do not share; if not, the worker exits with {@link Codec#SKEW_EXIT}.
     */
    private static final class Reader implements Runnable {
        private final FrameChannel channel;
        private final LinkedBlockingQueue<FrameChannel.Frame> inbox;
        private final String parentFingerprint;

        private final RemoteClasses classes;

        Reader(FrameChannel channel, LinkedBlockingQueue<FrameChannel.Frame> inbox, String parentFingerprint,
                RemoteClasses classes) {
            this.channel = channel;
            this.inbox = inbox;
            this.parentFingerprint = parentFingerprint;
            this.classes = classes;
        }

        @Override
        public void run() {
            String own;
            try {
                own = Codec.fingerprint();
            } catch (Throwable e) {
                System.err.println("futures worker pid " + Pid.PID + ": this worker cannot load the futures classes ("
                        + e + "); its class path is " + System.getProperty("java.class.path") + " and its module path "
                        + System.getProperty("jdk.module.path") + "; exiting");
                halt(MISSING_EXIT);
                return;
            }
            if (!own.equals(parentFingerprint)) {
                System.err.println("futures worker pid " + Pid.PID + ": this worker's futures classes are not the"
                        + " parent's (fingerprint " + own + ", the parent's " + parentFingerprint
                        + "): were the futures jars replaced while the pool ran? exiting");
                halt(Codec.SKEW_EXIT);
            }
            try {
                FrameChannel.Frame f;
                while ((f = channel.read()) != null) {
                    if (f.type() == FrameChannel.CLASS_BYTES) {
                        classes.deliver(f.id(), f.payload());
                    } else if (f.type() == FrameChannel.PARK) {
                        // answered here, not by the main thread: the parent parks only a worker whose last
                        // result it has read, and the answer must not wait for the main thread's flushes
                        channel.write(FrameChannel.PARKED, f.id(), new byte[0]);
                    } else {
                        inbox.add(f);
                    }
                }
                halt(0);
            } catch (IOException e) {
                if (e instanceof java.io.StreamCorruptedException) {
                    System.err.println("futures worker pid " + Pid.PID + ": " + e + "; exiting");
                    halt(2);
                }
                halt(0); // the parent is gone or closed the channel abruptly
            } catch (Throwable e) { // out of memory reading a frame: the parent sees the worker's death
                halt(OUT_OF_MEMORY_EXIT);
            }
        }
    }

    /**
     * Watches the parent's exit, a backup for end of stream (which is much faster). Started once
     * the first frame is handled, on its own thread, because {@code ProcessHandle.onExit} costs
     * ~15 ms of class loading and initialization that the first answer need not wait for; until
     * then the connect's own check and end of stream cover a dead parent.
     */
    private static final class ParentWatch implements Runnable {
        private final long parent;

        ParentWatch(long parent) {
            this.parent = parent;
        }

        @Override
        public void run() {
            java.util.Optional<ProcessHandle> p = ProcessHandle.of(parent);
            if (p.isEmpty()) {
                halt(0);
            } else {
                p.get().onExit().thenRun(new Halt());
            }
        }
    }

    /**
     * Runs, once, on its own thread while the main thread connects, the machinery the first task
     * needs: Java deserialization (whose first stream also sets up the serial filter and a
     * {@code System.Logger}) of a serializable lambda ({@code SerializedLambda}, reflection,
     * {@code LambdaMetafactory}, class spinning), from bytes made at build time, and the
     * serialization of an outcome.
     * Measured in a fresh JVM: ~40 ms to connect (the first Unix-domain socket seeds a
     * {@code SecureRandom}) and ~50 ms of this, one after the other before; side by side on two
     * cores now. It shares no state with the other threads: what it warms is the JVM's own class
     * initialization, which the JVM makes safe across threads (a thread that needs a class another
     * is initializing waits for it). Any failure is ignored: the real task then pays the cost. The
     * main thread waits for its end before it runs the first frame, so it never runs beside user code.
     */
    static final class WarmUp implements Runnable {
        /**
         * {@link #sample()} serialized ({@link Codec}'s stream), in Base64. Made once, not at
         * each start: serializing it here cost the warm-up 15-30 ms (the descriptor of the
         * lambda's {@code Object[]} needs a SHA-1 digest, which waited for the security providers
         * the connecting thread sets up). It depends only on the names of this class, of
         * {@link #one}, of {@code Task}, and on {@link Codec#KNOWN} (the place of
         * {@code SerializedLambda} and {@code Object[]} in it);
         * {@code WarmUpSampleTest} fails, and prints the new value, if it goes stale.
         */
        static final String SAMPLE =
                "rO0ABXNyFHhwAAAABnVyAXhwAAAAAHZyAAArZnV0dXJlcy5wcm92aWRlcnMucHJvY2Vzcy5Xb3JrZXJNYWluJFdhcm"
                + "1VcAAAAAAAAAAAAAAAeHB0ABBmdXR1cmVzL3NwaS9UYXNrdAAEY2FsbHQAFCgpTGphdmEvbGFuZy9PYmplY3Q7dAAr"
                + "ZnV0dXJlcy9wcm92aWRlcnMvcHJvY2Vzcy9Xb3JrZXJNYWluJFdhcm1VcHQAA29uZXQAFSgpTGphdmEvbGFuZy9Jbn"
                + "RlZ2VyO3EAfgAL";

        /** What the sample calls; its name is in {@link #SAMPLE}. */
        static Integer one() {
            return 1;
        }

        /**
         * The sample task: a serializable reference to a static method, so {@link #SAMPLE} holds
         * that method's own name, not a name the compiler makes up for a lambda body.
         */
        static Task<Integer> sample() {
            return WarmUp::one;
        }

        @Override
        public void run() {
            try {
                Task<?> back = (Task<?>) Codec.deserialize(Base64.getDecoder().decode(SAMPLE));
                Codec.serializeOutcome(back.call());
            } catch (Throwable ignored) {
                // a warm-up only
            }
        }
    }

    /** Ends the worker with exit code 0 (the parent is gone). */
    private static final class Halt implements Runnable {
        @Override
        public void run() {
            halt(0);
        }
    }

    private static void halt(int code) {
        reserve = null; // what follows may allocate, if only to link code run for the first time
        try {
            System.out.flush();
            System.err.flush();
        } catch (Throwable outOfMemory) {
            // exit all the same
        }
        Runtime.getRuntime().halt(code);
    }
}

package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.BrokenProcessPoolException;
import futures.spi.ExecutorConfig;
import futures.spi.WorkerDiedException;
import java.io.InvalidObjectException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes from a worker are not trusted: a pool whose "worker" is {@link FakeWorkerMain}, which
 * sends a header claiming 2 GB, half a frame, or a tiny stream claiming a huge array, ends every
 * future and its {@code shutdown(wait=true)}, keeps its heap, and says why.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UntrustedWorkerTest {
    @TempDir
    Path tmp;
    private final List<Executor> executors = new ArrayList<>();

    @BeforeEach
    void posix() {
        assumeFalse(System.getProperty("os.name", "").startsWith("Windows"), "a shell script stands in for java");
    }

    @AfterEach
    void tearDown() {
        for (Executor ex : executors) {
            ex.shutdown(true, true);
        }
    }

    /** A script that the pool runs as its {@code java}: it starts {@link FakeWorkerMain} in {@code mode}. */
    private Path fakeJava(String mode, byte[] payload) throws Exception {
        Path testClasses = Path.of(FakeWorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path script = tmp.resolve("java-" + mode);
        String hex = payload == null ? "-" : HexFormat.of().formatHex(payload);
        Files.writeString(script, "#!/bin/sh\nexec '" + Launcher.currentJava() + "' -Xlog:disable -cp '" + testClasses
                + "' futures.providers.process.FakeWorkerMain " + mode + " " + hex + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private Executor pool(Path java, String... more) {
        ExecutorConfig.Builder b = ExecutorConfig.builder().maxWorkers(1).property(ProcessProvider.JAVA, java.toString());
        for (int i = 0; i < more.length; i += 2) {
            b.property(more[i], more[i + 1]);
        }
        Executor ex = Executors.create("process", b.build());
        executors.add(ex);
        return ex;
    }

    @Test
    @DisplayName("a worker whose header claims about 2 GB is killed at once and the pool breaks saying so; the future and shutdown(wait=true) end")
    void hugeHeader() throws Exception {
        Executor ex = pool(fakeJava("huge-header", null));
        Future<Integer> f = ex.submit(() -> 1);
        BrokenProcessPoolException b = assertInstanceOf(BrokenProcessPoolException.class, f.exception());
        assertTrue(b.getMessage().contains("sent a message of 2147483574 bytes, more than the limit of 268435456 bytes"
                + " (max_message_size) and was killed"), b.getMessage());
        ex.shutdown(true);
    }

    @Test
    @DisplayName("fail_call: a worker whose header claims about 2 GB is killed and fails only the call it held, with WorkerDiedException saying why; a new worker takes the next call")
    void hugeHeaderFailCall() throws Exception {
        Executor ex = pool(fakeJava("huge-header", null), ProcessProvider.ON_WORKER_DEATH, ProcessProvider.FAIL_CALL);
        for (int i = 0; i < 2; i++) { // the second call goes to a new worker: the pool is not broken
            Future<Integer> f = ex.submit(() -> 1);
            WorkerDiedException e = assertInstanceOf(WorkerDiedException.class, f.exception());
            assertTrue(e.getMessage().contains("(max_message_size) and was killed while it held this call: killed by"
                    + " signal 9 (SIGKILL)") && e.getMessage().contains("worker pid " + e.pid()), e.getMessage());
            assertInstanceOf(FrameChannel.MessageTooLargeException.class, e.getCause());
        }
        ex.shutdown(true);
    }

    @Test
    @DisplayName("a worker that sends a header and part of the body is killed after message_timeout, and the pool breaks naming the cause; the future and shutdown(wait=true) end")
    void partialFrame() throws Exception {
        Executor ex = pool(fakeJava("partial", null), ProcessProvider.MESSAGE_TIMEOUT, "0.5");
        Future<Integer> f = ex.submit(() -> 1);
        long start = System.nanoTime();
        BrokenProcessPoolException b = assertInstanceOf(BrokenProcessPoolException.class, f.exception());
        assertTrue(b.getMessage().contains("began a message and did not complete it within message_timeout (500 ms)"
                + " and was killed"), b.getMessage());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(500), "not before the timeout");
        ex.shutdown(true);
    }

    @Test
    @DisplayName("a ~30-byte result claiming long[500_000_000] fails its future at once with a clear error, allocates nothing, and the pool is not broken")
    void forgedArray() throws Exception {
        byte[] forged = CodecLimitsTest.forgedLongArray(500_000_000);
        Executor ex = pool(fakeJava("result", forged));
        for (int i = 0; i < 2; i++) { // the second proves the pool still serves
            Future<Integer> f = ex.submit(() -> 1);
            UncheckedIOException e = assertInstanceOf(UncheckedIOException.class, f.exception());
            assertTrue(e.getMessage().startsWith("the task's result could not be deserialized in the parent: "),
                    e.getMessage());
            InvalidObjectException cause = assertInstanceOf(InvalidObjectException.class, e.getCause());
            assertTrue(cause.getMessage().contains("refused by the process pool's limits: a message of " + forged.length
                    + " bytes claims an array long[] of 500000000 elements"), cause.getMessage());
        }
        ex.shutdown(true);
    }

    @Test
    @DisplayName("a worker that never answers PARK is not parked: shutdown(wait=true) returns once the bound on the answer closed its channel, and it exits")
    void parkNeverAnswered() throws Exception {
        Executor ex = pool(fakeJava("result", Codec.serializeOutcome(7)));
        assertEquals(7, ex.submit(() -> 1).result()); // it served: the pool asks it to park at shutdown
        java.util.Set<Long> parkedBefore = new java.util.HashSet<>(WorkerPark.pids());
        long start = System.nanoTime();
        ex.shutdown(true);
        long waited = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited >= ProcessPool.PARK_ANSWER_SECONDS * 1000 - 100, "the bound was waited for: " + waited + " ms");
        assertTrue(waited < ProcessPool.PARK_ANSWER_SECONDS * 1000 + 10_000, "and not much longer: " + waited + " ms");
        java.util.Set<Long> parkedAfter = new java.util.HashSet<>(WorkerPark.pids());
        parkedAfter.removeAll(parkedBefore);
        assertTrue(parkedAfter.isEmpty(), "nothing new is parked: " + parkedAfter);
    }

    @Test
    @DisplayName("a worker that reads nothing while the pool writes a large task is killed after message_timeout, and the pool breaks saying so")
    void deafWorker() throws Exception {
        Executor ex = pool(fakeJava("deaf", null), ProcessProvider.MESSAGE_TIMEOUT, "0.5");
        byte[] big = new byte[16 << 20]; // more than a socket's buffers hold
        Future<Integer> f = ex.submit(() -> big.length);
        BrokenProcessPoolException b = assertInstanceOf(BrokenProcessPoolException.class, f.exception());
        assertTrue(b.getMessage().contains("did not read its messages within message_timeout (500 ms) and was killed"),
                b.getMessage());
        ex.shutdown(true);
    }

    @Test
    @DisplayName("a worker that reads nothing of a large initializer is killed after message_timeout, and the pool breaks saying so")
    void deafWorkerDuringInitializer() throws Exception {
        int timers = Timers.pending();
        byte[] big = new byte[16 << 20];
        Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1)
                .property(ProcessProvider.JAVA, fakeJava("deaf", null).toString())
                .property(ProcessProvider.MESSAGE_TIMEOUT, "0.5")
                .initializer(() -> System.setProperty("size", Integer.toString(big.length))).build());
        executors.add(ex);
        Future<Integer> f = ex.submit(() -> 1);
        BrokenProcessPoolException b = assertInstanceOf(BrokenProcessPoolException.class, f.exception());
        assertTrue(b.getMessage().contains("did not read its messages within message_timeout (500 ms) and was killed"),
                b.getMessage());
        ex.shutdown(true);
        assertTrue(Timers.pending() <= timers, "no watchdog left behind");
    }

    @Test
    @DisplayName("a real worker's result over max_message_size fails that task saying so, and the pool goes on serving")
    void resultOverTheLimit() {
        Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1)
                .property(ProcessProvider.MAX_MESSAGE_SIZE, "4k").build());
        executors.add(ex);
        Future<byte[]> f = ex.submit(() -> new byte[10_000]);
        UncheckedIOException e = assertInstanceOf(UncheckedIOException.class, f.exception());
        assertTrue(e.getMessage().matches("the task's result could not be sent to the parent from worker pid \\d+: its"
                + " 100\\d\\d bytes are more than max_message_size \\(4096 bytes\\); raise max_message_size or return"
                + " less"), e.getMessage());
        assertEquals(3000, ex.submit(() -> new byte[3000]).result().length);
        ex.shutdown(true);
    }

    @Test
    @DisplayName("config: max_message_size and message_timeout out of range are refused at create, saying what is accepted")
    void settingsChecked() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Executors.create("process", ExecutorConfig.builder().property(ProcessProvider.MAX_MESSAGE_SIZE, "3x")
                        .build()));
        assertEquals("config key 'max_message_size' must be a number of bytes from 1 to 2147483574, with an optional"
                + " k, m or g suffix, got '3x'", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Executors.create("process", ExecutorConfig.builder().property(ProcessProvider.MESSAGE_TIMEOUT, "0")
                        .build()));
        assertEquals("config key 'message_timeout' must be a number of seconds from 0.001 to 86400, got '0'",
                e.getMessage());
        assertEquals(64 << 20, ProcessProvider.messageSize("64m"));
        assertEquals(1500, ProcessProvider.timeoutMillis("1.5"));
    }
}

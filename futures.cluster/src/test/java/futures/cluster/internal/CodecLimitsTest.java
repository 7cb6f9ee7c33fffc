package futures.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.spi.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bytes from another member or a client are not trusted: every stream {@link Codec} reads is held
 * to the limits derived from its own size (as on "process"), a stream nested deeper than a stack
 * can read is refused too, and {@code max_message_size} bounds what is sent and read. A forged
 * payload fails its own call, saying why; the executor and the members serve on.
 */
@ExtendWith(TestCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CodecLimitsTest {
    private Executor ex;

    @BeforeAll
    void open() {
        ex = Executors.create("cluster", TestCluster.attached(ExecutorConfig.builder().maxWorkers(4)
                .property(Settings.MAX_MESSAGE_SIZE, "4k").build()));
    }

    @AfterAll
    void close() {
        ex.shutdown();
    }

    /** {@code value} as this library writes a task (its own stream format: see {@link Codec}). */
    private static byte[] plain(Object value) throws IOException {
        return Codec.serializeTask(value);
    }

    /** {@code new long[0]}, its length then changed to {@code n}: a ~30-byte stream claiming a huge array. */
    static byte[] forgedLongArray(int n) throws IOException {
        byte[] bytes = plain(new long[0]);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, n);
        return bytes;
    }

    /** An ArrayList of three whose stream claims 400,000,000 elements. */
    static byte[] forgedList() throws IOException {
        byte[] bytes = plain(new ArrayList<>(List.of(1, 2, 3)));
        int patched = 0;
        for (int i = 0; i + 4 <= bytes.length; i++) { // its size, written twice
            if (bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 0 && bytes[i + 3] == 3) {
                ByteBuffer.wrap(bytes).putInt(i, 400_000_000);
                patched++;
            }
        }
        assertTrue(patched >= 1, "found the size");
        return bytes;
    }

    /**
     * {@code Object[]} nested {@code depth} deep, written by hand (10 bytes a level: writing it with
     * an {@code ObjectOutputStream} would overflow this thread's stack first).
     */
    static byte[] deeplyNested(int depth) throws IOException {
        byte[] one = plain(new Object[] {null}); // header, TC_ARRAY, Object[]'s (one-byte) descriptor, length 1, TC_NULL
        ByteArrayOutputStream out = new ByteArrayOutputStream(one.length + 10 * depth);
        out.write(one, 0, one.length - 1);
        byte[] level = {0x75, 0x71, 0, 0x7e, 0, 0, 0, 0, 0, 1}; // TC_ARRAY, TC_REFERENCE to the descriptor, length 1
        for (int i = 0; i < depth; i++) {
            out.write(level);
        }
        out.write(0x70); // TC_NULL, the innermost element
        return out.toByteArray();
    }

    /** Sends {@code task} as a call's bytes to member b, past this library's sender, and reads what comes back. */
    private static Codec.Outcome sendForged(byte[] task) throws Exception {
        HazelcastInstance a = TestCluster.pair().a();
        var b = TestCluster.pair().b().getCluster().getLocalMember();
        byte[] back = a.getExecutorService(Engines.EXECUTOR).<byte[]>submitToMember(new Call(task, "forged"), b)
                .get(30, TimeUnit.SECONDS);
        return Codec.deserializeOutcome(back, Call.filter(a));
    }

    private void servesOn() {
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int x = i;
            got.add(ex.submit(() -> x * 2).result());
        }
        assertEquals(List.of(0, 2, 4, 6, 8, 10, 12, 14), got, "the executor keeps serving on both members");
    }

    @Test
    @DisplayName("a forged task claiming long[500_000_000] is refused by the member, failing that call only, saying why")
    void forgedArrayIsRefusedOnTheMember() throws Exception {
        byte[] forged = forgedLongArray(500_000_000);
        Codec.Outcome o = sendForged(forged);
        assertTrue(o.failed());
        UncheckedIOException e = assertInstanceOf(UncheckedIOException.class, o.value());
        assertTrue(e.getMessage().startsWith("the task could not be read on member " + TestCluster.address(TestCluster.pair().b())
                + ": java.io.InvalidObjectException: refused by the cluster provider's limits: a message of " + forged.length
                + " bytes claims an array long[] of 500000000 elements, which needs at least 4000000000 bytes (more than"
                + " a message of that size can hold; the bytes are damaged or forged)"), e.getMessage());
        servesOn();
    }

    @Test
    @DisplayName("a forged task whose ArrayList claims 400,000,000 elements is refused before its array is made")
    void forgedCollectionIsRefusedOnTheMember() throws Exception {
        Codec.Outcome o = sendForged(forgedList());
        assertTrue(o.failed());
        UncheckedIOException e = assertInstanceOf(UncheckedIOException.class, o.value());
        assertTrue(e.getMessage().contains("refused by the cluster provider's limits: a message of")
                && e.getMessage().contains("claims an array java.lang.Object[] of 400000000 elements"), e.getMessage());
        servesOn();
    }

    @Test
    @DisplayName("a forged task nested 300,000 deep is refused by the member (not a StackOverflowError), the member serves on")
    void deepNestingIsRefusedOnTheMember() throws Exception {
        byte[] deep = deeplyNested(300_000);
        Codec.Outcome o = sendForged(deep);
        assertTrue(o.failed());
        UncheckedIOException e = assertInstanceOf(UncheckedIOException.class, o.value());
        assertTrue(e.getMessage().contains("refused by the cluster provider's limits: a message of " + deep.length
                + " bytes nests objects too deep to read"), e.getMessage());
        servesOn();
    }

    @Test
    @DisplayName("the submitting JVM holds outcomes to the same limits: forged, too many elements, too deep")
    void forgedOutcomesAreRefusedInTheSubmitter() throws Exception {
        for (byte[] forged : List.of(forgedLongArray(500_000_000), forgedList(), deeplyNested(300_000))) {
            byte[] withFlag = withFlag(forged);
            InvalidObjectException e = assertThrows(InvalidObjectException.class,
                    () -> Codec.deserializeOutcome(withFlag, Call.filter(TestCluster.pair().a())));
            assertTrue(e.getMessage().startsWith("refused by the cluster provider's limits: a message of "), e.getMessage());
        }
    }

    /** The outcome form of a value's stream: the STREAM tag, then the stream with a false "failed" flag before the object. */
    private static byte[] withFlag(byte[] stream) {
        // a stream's header is 4 bytes; the flag is a block of data: TC_BLOCKDATA, length 1, the byte
        byte[] out = new byte[1 + stream.length + 3];
        out[0] = 0;
        System.arraycopy(stream, 0, out, 1, 4);
        out[5] = 0x77;
        out[6] = 1;
        out[7] = 0;
        System.arraycopy(stream, 4, out, 8, stream.length - 4);
        return out;
    }

    @Test
    @DisplayName("a task larger than max_message_size is refused at submit, saying so; the executor serves on")
    void largeTaskIsRefusedAtSubmit() {
        byte[] big = new byte[10_000];
        Task<Integer> t = () -> big.length;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ex.submit(t));
        assertTrue(e.getMessage().matches("the task cannot be sent to the cluster: its 10\\d\\d\\d bytes, serialized,"
                + " are more than max_message_size \\(4096 bytes\\); raise max_message_size \\(on the members too:"
                + " they refuse a larger task\\) or send less"), e.getMessage());
        servesOn();
    }

    @Test
    @DisplayName("an outcome larger than the submitter's max_message_size fails that call, saying so; the executor serves on")
    void largeOutcomeIsRefusedBySubmitter() {
        Task<byte[]> t = () -> new byte[10_000];
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ex.submit(t).result());
        assertTrue(e.getMessage().matches("the call's outcome from member [\\d.]+:\\d+ could not be read in the"
                + " submitting JVM: its 10\\d\\d\\d bytes are more than max_message_size \\(4096 bytes\\); raise"
                + " max_message_size or return less"), e.getMessage());
        servesOn();
    }

    /** A member whose config says max_message_size 4096; nothing else of it answers. */
    private static HazelcastInstance memberWithSmallLimit() {
        Config c = Engines.memberConfig(Settings.of(ExecutorConfig.of(java.util.Map.of(Settings.MAX_MESSAGE_SIZE, "4k"))));
        return (HazelcastInstance) Proxy.newProxyInstance(HazelcastInstance.class.getClassLoader(),
                new Class<?>[] {HazelcastInstance.class}, (p, m, args) -> {
                    if (m.getName().equals("getConfig")) {
                        return c;
                    }
                    if (m.getName().equals("hashCode")) {
                        return System.identityHashCode(p);
                    }
                    if (m.getName().equals("equals")) {
                        return p == args[0];
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    @DisplayName("a member refuses a task over its own max_message_size and replaces an outcome over it by an error")
    void memberHoldsCallsToItsOwnLimit() throws Exception {
        HazelcastInstance member = memberWithSmallLimit();
        byte[] big = new byte[10_000];
        Task<Integer> large = () -> big.length;
        Call c = new Call(Codec.serializeTask(large), "p");
        c.setHazelcastInstance(member);
        Codec.Outcome o = Codec.deserializeOutcome(c.call(), Call.filter((HazelcastInstance) null));
        assertTrue(o.failed());
        assertTrue(((Throwable) o.value()).getMessage().matches("the task could not be read on member \\(unknown\\): its"
                + " 10\\d\\d\\d bytes are more than this member's max_message_size \\(4096 bytes\\); raise"
                + " max_message_size on every member \\(member launcher: --max-message-size\\) or send less"),
                ((Throwable) o.value()).getMessage());

        Task<byte[]> returnsLarge = () -> new byte[10_000];
        c = new Call(Codec.serializeTask(returnsLarge), "p");
        c.setHazelcastInstance(member);
        o = Codec.deserializeOutcome(c.call(), Call.filter((HazelcastInstance) null));
        assertTrue(o.failed());
        assertTrue(((Throwable) o.value()).getMessage().matches("the call's value could not be sent back from member"
                + " \\(unknown\\): its 10\\d\\d\\d bytes are more than max_message_size \\(4096 bytes\\); raise"
                + " max_message_size or return less"), ((Throwable) o.value()).getMessage());

        Task<byte[]> small = () -> new byte[10];
        c = new Call(Codec.serializeTask(small), "p");
        c.setHazelcastInstance(member);
        o = Codec.deserializeOutcome(c.call(), Call.filter((HazelcastInstance) null));
        assertEquals(10, ((byte[]) o.value()).length, Arrays.toString((byte[]) o.value()));
    }

    @Test
    @DisplayName("real values pass the limits: large arrays, deep nesting within a stack, many references")
    void realValuesPass() {
        try (Executor big = Executors.create("cluster", TestCluster.attached(ExecutorConfig.builder().maxWorkers(2).build()))) {
            long[] longs = new long[1 << 18];
            longs[12345] = 7;
            Task<long[]> t = () -> longs;
            assertEquals(7, big.submit(t).result()[12345]);
            Task<Object[]> nested = () -> {
                Object[] n = null;
                for (int i = 0; i < 500; i++) {
                    n = new Object[] {n};
                }
                return n;
            };
            int depth = 0;
            for (Object o = big.submit(nested).result(); o != null; o = ((Object[]) o)[0]) {
                depth++;
            }
            assertEquals(500, depth);
            Task<List<Integer>> shared = () -> {
                List<Integer> l = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    l.add(1);
                }
                return l;
            };
            assertEquals(10_000, big.submit(shared).result().size());
        }
    }

    @Test
    @DisplayName("max_message_size out of range is refused at create, saying what is accepted")
    void badMaxMessageSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executors.create("cluster",
                TestCluster.attached(ExecutorConfig.builder().property(Settings.MAX_MESSAGE_SIZE, "3x").build())));
        assertEquals("config key 'max_message_size' must be a number of bytes from 1 to 2147483574, with an optional"
                + " k, m or g suffix, got '3x'", e.getMessage());
    }
}

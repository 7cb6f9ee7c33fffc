package futures.cluster.internal;

import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import futures.spi.Task;
import futures.spi.internal.KnownClasses;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One call as the engine carries it to a member: the task's bytes (serialized by {@link Codec} in
 * the submitting JVM), the submitting pool's id and the submitter's {@link KnownClasses#fingerprint()}
 * (a member whose own differs refuses the call: it would misread the bytes), written with the engine's own
 * {@link DataSerializable} (no second Java serialization, and nothing for its Java filter to see). On the member it reads the task through the
 * member's own serialization filter, runs it, and returns the outcome's bytes: the value, or what
 * the call threw with its stack trace. It never throws itself, so every outcome of the call comes
 * back the same way; what the engine reports instead is about the member or the network.
 *
 * <p>Immutable once deserialized. Shared state: {@link #POOL}, a thread-local, marks the member
 * thread running a call, so that a
 * waiting shutdown from inside a call of the same executor is refused instead of waiting for itself.
 */
public final class Call implements Callable<byte[]>, DataSerializable, HazelcastInstanceAware {

    /** The id of the pool whose call the current thread is running, or null. */
    static final ThreadLocal<String> POOL = new ThreadLocal<>();

    /** Filters per filter configuration, built once each. */
    private static final Map<Object, ObjectInputFilter> FILTERS = new ConcurrentHashMap<>();

    private byte[] task;
    private String pool;
    private String known;
    private HazelcastInstance member;

    /** For the engine, which makes one by reflection and then reads it ({@link #readData}). */
    public Call() {}

    Call(byte[] task, String pool) {
        this(task, pool, Codec.KNOWN.fingerprint());
    }

    /** A call as a JVM whose known classes have fingerprint {@code known} sends it; for tests of skew. */
    Call(byte[] task, String pool, String known) {
        this.task = task;
        this.pool = pool;
        this.known = known;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(task);
        out.writeString(pool);
        out.writeString(known);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        task = in.readByteArray();
        pool = in.readString();
        known = in.readString();
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.member = instance;
    }

    @Override
    public byte[] call() throws IOException {
        Side side = side(member);
        String where = side.where();
        Object value;
        boolean failed;
        Object read;
        if (task.length > side.maxMessage()) {
            return Codec.serializeOutcome(true, new UncheckedIOException("the task could not be read on member " + where
                    + ": its " + task.length + " bytes are more than this member's max_message_size ("
                    + side.maxMessage() + " bytes); raise max_message_size on every member (member launcher:"
                    + " --max-message-size) or send less", new IOException("message too large")), where);
        }
        if (!Codec.KNOWN.hasCore()) {
            return Codec.refusal("the task could not be read on member " + where + ": futures.core is not in this"
                    + " member's JVM (on the module path, start the member with --add-modules ALL-MODULE-PATH)");
        }
        if (!Codec.KNOWN.fingerprint().equals(known)) {
            return Codec.refusal("the task could not be read on member " + where + ": it was sent by a JVM with"
                    + " another build of futures (the fingerprint of its known classes is " + known + ", this member's "
                    + Codec.KNOWN.fingerprint() + "); run the same futures jars on every member and the submitting JVM");
        }
        try {
            read = Codec.deserialize(task, side.filter());
        } catch (InvalidClassException e) {
            return Codec.serializeOutcome(true, new UncheckedIOException("the task could not be read on member " + where
                    + (Codec.refusedByFilter(e) ? ": class " + e.classname + " is not allowed by its serialization"
                            + " filter; allow its package with config key 'serialization_allow' (member launcher:"
                            + " --allow) on every member and the submitting JVM" : ": " + e), e), where);
        } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError | StackOverflowError e) {
            return Codec.serializeOutcome(true, new UncheckedIOException("the task could not be read on member " + where
                    + ": " + e + (e instanceof ClassNotFoundException || e instanceof NoClassDefFoundError
                            ? " (the task's classes must be on every member's class path or module path)" : ""),
                    e instanceof IOException io ? io : new IOException(e)), where);
        }
        String outer = POOL.get();
        POOL.set(pool);
        try {
            value = ((Task<?>) read).call();
            failed = false;
        } catch (Throwable t) {
            value = t;
            failed = true;
        } finally {
            POOL.set(outer);
        }
        try {
            byte[] outcome = Codec.serializeOutcome(failed, value, where);
            if (outcome.length > side.maxMessage()) {
                return Codec.serializeOutcome(true, new UncheckedIOException("the call's " + (failed ? "exception" : "value")
                        + " could not be sent back from member " + where + ": its " + outcome.length + " bytes are more"
                        + " than max_message_size (" + side.maxMessage() + " bytes); raise max_message_size or return"
                        + " less", new IOException("message too large")), where);
            }
            return outcome;
        } catch (NotSerializableException e) {
            return Codec.serializeOutcome(true, new UncheckedIOException("the call's value could not be sent back from"
                    + " member " + where + ": class " + e.getMessage() + " is not Serializable", e), where);
        } catch (IOException | RuntimeException e) {
            return Codec.serializeOutcome(true, new UncheckedIOException("the call's value could not be sent back from"
                    + " member " + where + ": " + e, e instanceof IOException io ? io : new IOException(e)), where);
        }
    }

    private static String where(HazelcastInstance member) {
        try {
            var a = member.getCluster().getLocalMember().getAddress();
            return a.getHost() + ":" + a.getPort();
        } catch (RuntimeException e) {
            return "(unknown)";
        }
    }

    /** What a member of this JVM reads calls with: its filter, its {@code max_message_size}, its address ("host:port"). */
    record Side(ObjectInputFilter filter, int maxMessage, String where) {}

    /** The side of each member of this JVM, found once per member ({@code getConfig()} is not free). */
    private static final Map<HazelcastInstance, Side> BY_MEMBER =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** The filter of member {@code hz}'s own configuration. */
    static ObjectInputFilter filter(HazelcastInstance hz) {
        return side(hz).filter();
    }

    /** The filter and message limit of member {@code hz}'s own configuration. */
    static Side side(HazelcastInstance hz) {
        if (hz == null) {
            return new Side(filter((JavaSerializationFilterConfig) null), Settings.DEFAULT_MAX_MESSAGE_SIZE, "(unknown)");
        }
        Side known = BY_MEMBER.get(hz);
        if (known == null) {
            known = read(hz);
            BY_MEMBER.put(hz, known);
        }
        return known;
    }

    private static Side read(HazelcastInstance hz) {
        JavaSerializationFilterConfig fc = null;
        int max = Settings.DEFAULT_MAX_MESSAGE_SIZE;
        try {
            var config = hz.getConfig();
            fc = config.getSerializationConfig().getJavaSerializationFilterConfig();
            String m = config.getProperty(Engines.MAX_MESSAGE_PROPERTY);
            if (m != null) {
                max = Integer.parseInt(m);
            }
        } catch (RuntimeException e) {
            // not a member, or not one this library configured: this library's deny list and default limit apply
        }
        return new Side(filter(fc), max, where(hz));
    }

    /** The filter for {@code fc} (null: this library's deny list only), built once per configuration. */
    static ObjectInputFilter filter(JavaSerializationFilterConfig fc) {
        return FILTERS.computeIfAbsent(fc == null ? "none" : fc,
                k -> SerialFilter.of(k instanceof JavaSerializationFilterConfig c ? c : null));
    }
}

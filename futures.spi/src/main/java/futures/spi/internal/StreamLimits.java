package futures.spi.internal;

import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.util.Locale;

/**
 * The limits every Java serialization stream read from outside this JVM is held to, derived from
 * the stream's own size; shared by the providers that read such bytes ("process" from its workers,
 * "cluster" from members and clients). Not API: its package is exported only to
 * {@code futures.providers} and {@code futures.cluster}.
 *
 * <p>No stream of {@code n} bytes can hold more than {@code n} objects and references, nest deeper
 * than {@code n / 2} (an object takes at least two bytes), or hold an array whose elements need
 * more than {@code n} bytes (at least one per element; a primitive one its elements' size), so
 * bytes that claim more are refused before anything is allocated (a ~30-byte stream claiming
 * {@code long[500_000_000]} would otherwise make the reader allocate 4 GB). A value that passes is
 * never refused by them, so they need no setting. They return {@code UNDECIDED} otherwise, and
 * {@link #withJvmFilter()} merges them with the JVM-wide filter ({@code jdk.serialFilter} or
 * {@code Config.setSerialFilter}), whose decision then stands.
 *
 * <p>One per stream, confined to the thread that reads it: {@link #refused()} is plain state.
 */
public final class StreamLimits implements ObjectInputFilter {
    private final long bytes;
    private final String owner;
    /** Why the stream was refused, once it was; else null. */
    private String refused;

    /**
     * Limits for one stream.
     *
     * @param bytes the stream's size in bytes
     * @param owner whose limits, as the refusal says it: {@code "the process pool's"}, {@code "the cluster provider's"}
     */
    public StreamLimits(long bytes, String owner) {
        this.bytes = bytes;
        this.owner = owner;
    }

    /**
     * These limits, merged with the JVM-wide filter if there is one (a refusal by either stands).
     *
     * @return the filter to set on the stream
     */
    public ObjectInputFilter withJvmFilter() {
        ObjectInputFilter jvm = ObjectInputFilter.Config.getSerialFilter();
        return jvm == null ? this : ObjectInputFilter.merge(this, jvm);
    }

    /**
     * Why these limits refused the stream.
     *
     * @return the message (starting {@code "refused by OWNER limits: a message of N bytes claims"}), or null if
     *     they refused nothing
     */
    public String refused() {
        return refused;
    }

    /**
     * The exception a read should throw instead of the stream's {@code InvalidClassException}, if
     * these limits caused it.
     *
     * @param e what the stream threw
     * @return an {@link InvalidObjectException} with {@link #refused()} as its message and {@code e} as its cause,
     *     or null if these limits refused nothing (the exception is someone else's)
     */
    public InvalidObjectException refusal(InvalidClassException e) {
        if (refused == null) {
            return null;
        }
        InvalidObjectException r = new InvalidObjectException(refused);
        r.initCause(e);
        return r;
    }

    /**
     * The exception for a stream that nests so deep that reading it overflowed the reading thread's
     * stack: a forged stream that the size-derived depth limit cannot catch (real depth within
     * {@code n / 2} can still exceed a stack).
     *
     * @param e the overflow
     * @return an {@link InvalidObjectException} saying so, with {@code e} as its cause
     */
    public InvalidObjectException tooDeep(StackOverflowError e) {
        InvalidObjectException r = new InvalidObjectException("refused by " + owner + " limits: a message of " + bytes
                + " bytes nests objects too deep to read (the reading thread's stack overflowed); the bytes are"
                + " damaged or forged, or the value is a chain of objects too long for Java serialization");
        r.initCause(e);
        return r;
    }

    @Override
    public Status checkInput(FilterInfo info) {
        long length = info.arrayLength();
        if (length >= 0) {
            Class<?> c = info.serialClass();
            Class<?> component = c == null ? null : c.getComponentType();
            long size = component == null || !component.isPrimitive() ? 1
                    : component == long.class || component == double.class ? 8
                    : component == int.class || component == float.class ? 4
                    : component == short.class || component == char.class ? 2 : 1;
            if (length * size > bytes) {
                return refuse("an array " + (c == null ? "" : c.getTypeName() + " ") + "of " + length
                        + " elements, which needs at least " + length * size + " bytes");
            }
        }
        if (info.references() > bytes) {
            return refuse(info.references() + " objects and references");
        }
        if (info.depth() > bytes / 2 + 1) {
            return refuse("objects nested " + info.depth() + " deep");
        }
        if (info.streamBytes() > bytes) {
            return refuse(info.streamBytes() + " bytes read");
        }
        return Status.UNDECIDED;
    }

    private Status refuse(String what) {
        if (refused == null) {
            refused = "refused by " + owner + " limits: a message of " + bytes + " bytes claims " + what
                    + " (more than a message of that size can hold; the bytes are damaged or forged)";
        }
        return Status.REJECTED;
    }

    /** The largest {@code max_message_size} accepted: the largest byte array a JVM makes, less a frame's header. */
    public static final int MAX_MESSAGE_SIZE = Integer.MAX_VALUE - 73;

    /**
     * Parses a message size: bytes, with an optional {@code k}, {@code m} or {@code g} suffix (powers of 1024).
     *
     * @param key the config key, for the message
     * @param value what was given
     * @param max the largest size accepted
     * @return the size in bytes, from 1 to {@code max}
     * @throws IllegalArgumentException if it is not such a number, saying what is accepted
     */
    public static int parseSize(String key, String value, int max) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit = v.endsWith("k") ? 1L << 10 : v.endsWith("m") ? 1L << 20 : v.endsWith("g") ? 1L << 30 : 1;
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        long n = -1;
        if (!digits.isEmpty() && digits.length() <= 10 && digits.chars().allMatch(Character::isDigit)) {
            n = Long.parseLong(digits) * unit;
        }
        if (n < 1 || n > max) {
            throw new IllegalArgumentException("config key '" + key + "' must be a number of bytes from 1 to " + max
                    + ", with an optional k, m or g suffix, got '" + value + "'");
        }
        return (int) n;
    }
}

package futures.providers.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker's side of fetching classes (see {@link ClassServer}): a class that neither the
 * worker's class path nor its module path has is asked of the parent, and defined in one class
 * loader of this worker ({@link Loader}, whose parent is the loader of the futures classes, so the
 * fetched classes see everything the worker has). Each class is asked for once per worker: the
 * loader keeps what it defined, {@link #known} gives it to later streams without asking the
 * worker's own loader first, and a class the parent does not have is remembered with its message.
 * Nothing is created or asked for while every class is found in the worker.
 *
 * <p>Any thread may fetch (a task's own threads load classes too): each request has its own id,
 * and the reader thread hands each answer to the thread waiting for it ({@link #deliver}). A
 * request waits at most {@value #ANSWER_SECONDS} s.
 *
 * <p>Thread-safety: {@code pending}, {@code found} and {@code missing} are concurrent maps;
 * {@code anyFound} goes from false to true only after an entry is put; {@code loader} is created
 * once under {@code this}; the channel's writes are serialized by the channel.
 */
final class RemoteClasses extends Codec.Classes {
    /** The longest a worker waits for the parent's answer to a class request. */
    static final long ANSWER_SECONDS = 60;

    private final FrameChannel channel;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Class<?>> found = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> missing = new ConcurrentHashMap<>();
    private volatile boolean anyFound;
    private volatile Loader loader;

    RemoteClasses(FrameChannel channel) {
        this.channel = channel;
    }

    @Override
    Class<?> known(String name) {
        return anyFound ? found.get(name) : null;
    }

    @Override
    Class<?> find(String name, ClassNotFoundException notHere) throws ClassNotFoundException {
        Class<?> c = Class.forName(name, false, loader());
        found.put(name, c);
        anyFound = true;
        return c;
    }

    private Loader loader() {
        Loader l = loader;
        if (l == null) {
            synchronized (this) {
                l = loader;
                if (l == null) {
                    l = new Loader(this, RemoteClasses.class.getClassLoader());
                    loader = l;
                }
            }
        }
        return l;
    }

    /** Hands the parent's answer with this id to the thread waiting for it (the reader thread calls this). */
    void deliver(long id, byte[] payload) {
        CompletableFuture<byte[]> waiting = pending.get(id);
        if (waiting != null) {
            waiting.complete(payload);
        }
    }

    /** The bytes of class {@code name}, from the parent. */
    byte[] fetch(String name) throws ClassNotFoundException {
        String why = missing.get(name);
        if (why != null) {
            throw new ClassNotFoundException(why);
        }
        long id = ids.incrementAndGet();
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        pending.put(id, answer);
        byte[] a;
        try {
            channel.write(FrameChannel.CLASS_REQUEST, id, name.getBytes(StandardCharsets.UTF_8));
            a = answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": could not ask the parent for it (" + e + ")", e);
        } catch (TimeoutException e) {
            throw new ClassNotFoundException(name + ": the parent did not send it within " + ANSWER_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClassNotFoundException(name + ": interrupted while waiting for the parent to send it");
        } catch (ExecutionException e) {
            throw new ClassNotFoundException(name + ": " + e.getCause(), e.getCause());
        } finally {
            pending.remove(id);
        }
        if (a.length == 0 || a[0] != ClassServer.BYTES) {
            String message = a.length == 0 ? name + ": the parent sent nothing"
                    : new String(a, 1, a.length - 1, StandardCharsets.UTF_8);
            missing.put(name, message);
            throw new ClassNotFoundException(message);
        }
        byte[] b = new byte[a.length - 1];
        System.arraycopy(a, 1, b, 0, b.length);
        return b;
    }

    /** Defines the classes the parent sends; parent-first, as every class loader. */
    static final class Loader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final RemoteClasses source;

        Loader(RemoteClasses source, ClassLoader parent) {
            super("futures-parent-classes", parent);
            this.source = source;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = source.fetch(name);
            try {
                return defineClass(name, b, 0, b.length);
            } catch (LinkageError | SecurityException e) {
                throw new ClassNotFoundException(name + ": the bytes the parent sent could not be defined: " + e, e);
            }
        }
    }
}

package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * JDK-8208752: javac gives serializable method references that differ only in their generic
 * types one deserialization, with the first one's types. On "process" the second one fails with a
 * ClassCastException, which the worker marks as such; a lambda is the workaround.
 */
class MergedMethodReferenceTest {

    static <T> T identity(T t) {
        return t;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("X::identity as Func<String,String> then as Func<Integer,Integer>: the second fails in the worker with a ClassCastException naming JDK-8208752 and the workaround; a lambda works")
    void mergedMethodReferences() {
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build());
                Executor threads = Executors.create("thread", ExecutorConfig.builder().maxWorkers(1).build())) {
            assertEquals("a", ex.submit(MergedMethodReferenceTest::identity, "a").result());
            Throwable e = ex.submit(MergedMethodReferenceTest::identity, 5).exception();
            assertTrue(e instanceof ClassCastException, String.valueOf(e));
            assertTrue(e.getMessage().contains("JDK-8208752"), e.getMessage());
            assertTrue(e.getMessage().contains("Workaround: write a lambda"), e.getMessage());
            assertTrue(e.getStackTrace().length > 0 && e.getStackTrace()[0].getClassName().startsWith("futures.core.Calls"),
                    "the worker's own stack trace is kept");
            assertEquals(5, ex.submit((Integer x) -> identity(x), 5).result(), "the workaround");
            assertEquals(5, threads.submit(MergedMethodReferenceTest::identity, 5).result(), "on \"thread\" nothing is serialized");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("a ClassCastException the task's own code throws is left as it is")
    void ownClassCastUntouched() {
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build())) {
            Throwable e = ex.submit((Object o) -> (String) o, (Object) 5).exception();
            assertTrue(e instanceof ClassCastException, String.valueOf(e));
            assertTrue(!e.getMessage().contains("JDK-8208752"), e.getMessage());
        }
    }
}

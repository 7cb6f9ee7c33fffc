package futures.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The serializing provider really copies: what the suite's run against it relies on. */
@Timeout(30)
class SerializingProviderTest {

    @Test
    @DisplayName("a call that captures something not serializable fails its own future, and the pool keeps serving")
    void notSerializableCaptureFails() {
        Object notSerializable = new Object();
        try (Executor ex = Executors.create("serializing")) {
            Future<Integer> f = ex.submit(() -> notSerializable.hashCode());
            assertInstanceOf(NotSerializableException.class, f.exception());
            assertEquals(4, ex.submit(Math::addExact, 2, 2).result());
        }
    }

    @Test
    @DisplayName("the call sees a copy of its argument, and the caller a copy of its value")
    void argumentsAndValuesAreCopies() {
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        try (Executor ex = Executors.create("serializing")) {
            List<String> back = ex.submit(l -> {
                l.add("b");
                return l;
            }, list).result();
            assertEquals(List.of("a", "b"), back);
            assertEquals(List.of("a"), list, "the call changed the caller's object: it was not copied");
            assertNotSame(list, back);
        }
    }
}

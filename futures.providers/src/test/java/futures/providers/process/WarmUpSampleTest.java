package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import futures.spi.Task;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The worker's warm-up deserializes a sample task from bytes made once ({@code WarmUp.SAMPLE}), not
 * at each start. If those bytes went stale, the warm-up would fail silently (it ignores its own
 * failures) and every fresh worker would start slower; these tests make that a build failure.
 */
class WarmUpSampleTest {

    @Test
    @DisplayName("the warm-up's sample bytes are what serializing its sample task gives today")
    void sampleBytesAreCurrent() throws Exception {
        String now = Base64.getEncoder().encodeToString(Codec.serializePlain(WorkerMain.WarmUp.sample()));
        assertEquals(now, WorkerMain.WarmUp.SAMPLE,
                "WorkerMain.WarmUp.SAMPLE is stale (a class or method in it was renamed?); set it to: " + now);
    }

    @Test
    @DisplayName("the warm-up's sample bytes deserialize to a task that returns 1, and its outcome serializes")
    void sampleRuns() throws Exception {
        Task<?> task = (Task<?>) Codec.deserialize(Base64.getDecoder().decode(WorkerMain.WarmUp.SAMPLE));
        Object value = task.call();
        assertEquals(1, value);
        assertEquals(1, Codec.deserialize(Codec.serializeOutcome(value)));
    }
}

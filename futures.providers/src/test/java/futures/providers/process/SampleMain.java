package futures.providers.process;

import futures.spi.Task;
import java.util.Base64;

/**
 * Run by {@link CodecReviewTest} in a fresh JVM: deserializes the worker's warm-up sample (a
 * lambda, so a compact {@code Object[]} descriptor) and prints its result as {@code RESULT value}.
 */
public final class SampleMain {
    private SampleMain() {}

    public static void main(String[] args) throws Exception {
        Task<?> task = (Task<?>) Codec.deserialize(Base64.getDecoder().decode(WorkerMain.WarmUp.SAMPLE));
        System.out.println("RESULT " + task.call());
    }
}

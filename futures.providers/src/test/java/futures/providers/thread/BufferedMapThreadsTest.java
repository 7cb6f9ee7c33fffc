package futures.providers.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Futures;
import futures.core.MapIterator;
import futures.spi.ExecutorConfig;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code map(fn, endless, bufferSize=4)} counted inside the calls: with more workers than the
 * buffer, the buffer alone bounds how far the calls run ahead of the consumer.
 */
@Timeout(60)
class BufferedMapThreadsTest {
    @ParameterizedTest(name = "{0}, chunkSize={1}")
    @CsvSource({"thread, 1", "thread, 3", "virtual, 1", "virtual, 3"})
    @DisplayName("map over an endless Stream with bufferSize 4: 1,000 results in order, never more than 4 calls (chunks) started ahead of the one the consumer waits for")
    void callsNeverRunAheadOfTheBuffer(String provider, int chunk) {
        int buffer = 4;
        AtomicLong started = new AtomicLong();
        AtomicLong taken = new AtomicLong();
        AtomicLong mostAhead = new AtomicLong();
        try (Executor ex = Executors.create(provider, ExecutorConfig.builder().maxWorkers(16).build())) {
            try (MapIterator<Long> it = ex.map(i -> {
                long n = started.incrementAndGet();
                mostAhead.accumulateAndGet(n - taken.get(), Math::max);
                return 2L * i;
            }, Stream.iterate(0L, i -> i + 1)::iterator, Futures.NO_TIMEOUT, chunk, buffer)) {
                for (long k = 0; k < 1000; k++) {
                    assertEquals(2 * k, it.next());
                    taken.incrementAndGet();
                }
            }
        }
        // started counts items: the waited chunk and `buffer` chunks behind it
        long bound = (long) chunk * (buffer + 1);
        assertTrue(mostAhead.get() <= bound, "items started ahead of the consumer: " + mostAhead.get() + " > " + bound);
        assertTrue(started.get() <= 1000 + bound, "started " + started.get() + " calls for 1000 results");
    }
}

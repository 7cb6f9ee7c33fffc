package futures.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gate the behaviour suite holds tasks at. Tasks here are plain threads of this JVM; the gate
 * cannot tell them from worker processes, since it only sees socket connections.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GateTest {

    private static Thread start(Runnable r) {
        Thread t = new Thread(r, "gate-test-task");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    @DisplayName("pass blocks until the gate is released; the arrival is seen before that")
    void passBlocksUntilRelease() throws InterruptedException {
        try (Gate gate = Gate.open()) {
            Gate.Key key = gate.key();
            Thread t = start(() -> key.pass("a"));
            assertEquals(List.of("a"), gate.awaitArrivals(1));
            assertEquals(1, gate.waiting());
            assertTrue(t.isAlive(), "the task went through a closed gate");
            gate.release();
            t.join();
            assertEquals(0, gate.waiting());
        }
    }

    @Test
    @DisplayName("mark records the arrival and goes on at once, even while the gate is closed")
    void markGoesOnAtOnce() {
        try (Gate gate = Gate.open()) {
            gate.key().mark("m1");
            gate.key().mark("m2");
            assertEquals(List.of("m1", "m2"), gate.arrivals());
            assertEquals(0, gate.waiting());
            assertEquals(0, gate.peakWaiting());
        }
    }

    @Test
    @DisplayName("after release, later arrivals pass at once")
    void releaseStaysOpen() {
        try (Gate gate = Gate.open()) {
            gate.release();
            gate.key().pass("late"); // would block forever if the gate had closed again
            assertEquals(List.of("late"), gate.arrivals());
        }
    }

    @Test
    @DisplayName("releaseOldest lets the longest-waiting task through and keeps the others; peakWaiting counts them")
    void releaseOldestOneAtATime() throws InterruptedException {
        try (Gate gate = Gate.open()) {
            Gate.Key key = gate.key();
            Thread a = start(() -> key.pass("a"));
            gate.awaitArrivals(1);
            Thread b = start(() -> key.pass("b"));
            gate.awaitArrivals(2);
            assertEquals(2, gate.peakWaiting());
            assertTrue(gate.releaseOldest());
            a.join();
            assertTrue(b.isAlive());
            assertEquals(1, gate.waiting());
            assertTrue(gate.releaseOldest());
            b.join();
            assertFalse(gate.releaseOldest(), "nobody is waiting");
            assertEquals(2, gate.peakWaiting());
        }
    }

    @Test
    @DisplayName("close lets every waiting task through, and a task arriving after close fails instead of hanging")
    void closeReleasesAndLaterArrivalsFail() throws InterruptedException {
        Gate gate = Gate.open();
        Gate.Key key = gate.key();
        Thread t = start(() -> key.pass("waiting"));
        gate.awaitArrivals(1);
        gate.close();
        t.join();
        assertThrows(UncheckedIOException.class, () -> key.pass("too late"));
        assertThrows(UncheckedIOException.class, () -> key.mark("too late"));
        gate.close(); // harmless again
    }

    @Test
    @DisplayName("the key survives serialization, as it must to reach a worker process")
    void keyIsSerializable() throws IOException, ClassNotFoundException {
        try (Gate gate = Gate.open()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(gate.key());
            }
            Gate.Key copy;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                copy = (Gate.Key) in.readObject();
            }
            assertEquals(gate.key(), copy);
            copy.mark("from a copy");
            assertEquals(List.of("from a copy"), gate.arrivals());
        }
    }

    @Test
    @DisplayName("the gate's socket lives in a directory only this user can enter")
    void socketIsPrivate() throws IOException {
        try (Gate gate = Gate.open()) {
            java.nio.file.Path dir = java.nio.file.Path.of(gate.key().socket()).getParent();
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(dir)));
            }
        }
    }
}

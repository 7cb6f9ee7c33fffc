package futures.core;

import java.lang.ref.WeakReference;

/** Waits, boundedly, for the garbage collector to clear a weak reference. */
final class Collectable {
    private Collectable() {}

    /**
     * Whether {@code ref} was cleared within a bounded number of collections (about 100, with a
     * short pause after each so reference processing can run); false means it stayed reachable.
     */
    static boolean collected(WeakReference<?> ref) {
        for (int i = 0; i < 100 && ref.get() != null; i++) {
            System.gc();
            if (ref.get() == null) {
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return ref.get() == null;
    }
}

package futures.testkit;

import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The check that the suites run on the JUnit they were built for (Jupiter 5.14 or newer). An older
 * JUnit chosen by the user's build (Maven picks the nearest version, so a {@code junit-jupiter} of
 * 5.10 in the user's pom wins over the testkit's) would fail in odd places, or skip tests; this
 * fails every test of the suite at once instead, with a message that says what to change.
 */
final class JUnitVersion {
    /** The oldest JUnit Jupiter the testkit is built and tested with. */
    static final String NEEDED = "5.14";

    private JUnitVersion() {}

    /**
     * Throws if the JUnit Jupiter API in use is older than {@link #NEEDED}; does nothing if its
     * version cannot be read (a repackaged jar), since a wrong guess would block a working setup.
     */
    static void check() {
        check(found());
    }

    /** {@link #check()} for a given version string ({@code null}: unknown). */
    static void check(String found) {
        if (found != null && older(found, NEEDED)) {
            throw new IllegalStateException("futures.testkit needs JUnit Jupiter " + NEEDED
                    + " or newer (with Maven Surefire 3), but JUnit Jupiter " + found + " is running it:"
                    + " set org.junit.jupiter:junit-jupiter to 5.14.1 or newer in your build"
                    + " (see docs/writing-a-provider.md)");
        }
    }

    /** The version of the JUnit Jupiter API in use, or null if it does not say. */
    static String found() {
        Package p = Test.class.getPackage();
        if (p != null && p.getImplementationVersion() != null) {
            return p.getImplementationVersion();
        }
        return Test.class.getModule().getDescriptor() == null ? null
                : Test.class.getModule().getDescriptor().rawVersion().orElse(null);
    }

    /** Whether version {@code a} is older than {@code b}, compared as module versions. */
    static boolean older(String a, String b) {
        try {
            return ModuleDescriptor.Version.parse(a).compareTo(ModuleDescriptor.Version.parse(b)) < 0;
        } catch (IllegalArgumentException e) {
            return false; // not a version we can read: do not block
        }
    }
}

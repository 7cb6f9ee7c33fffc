package futures.moduletests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executors;
import java.io.File;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The build check of issue 16: only {@code futures.cluster} depends on Hazelcast. This module
 * depends on {@code futures.core} and {@code futures.providers} (and their Maven dependencies,
 * transitively) but not on {@code futures.cluster}: if either gained a dependency on the engine,
 * its jar would be on this module's path and these tests would fail.
 */
class ClusterIsolationTest {

    @Test
    @DisplayName("futures.core and futures.providers neither require the engine nor bring its jar along")
    void noEngineBesideCoreAndProviders() {
        for (String name : new String[] {"futures.spi", "futures.core", "futures.providers", "futures.testkit"}) {
            ModuleDescriptor d = ModuleLayer.boot().findModule(name).orElseThrow().getDescriptor();
            for (ModuleDescriptor.Requires r : d.requires()) {
                assertTrue(!r.name().startsWith("com.hazelcast"), name + " requires " + r.name());
            }
        }
        assertTrue(ModuleLayer.boot().findModule("com.hazelcast.core").isEmpty(), "the engine is in the boot layer");
        String paths = System.getProperty("jdk.module.path", "") + File.pathSeparator
                + System.getProperty("java.class.path", "");
        for (String entry : paths.split(File.pathSeparator)) {
            assertFalse(entry.contains("hazelcast"), "the engine's jar is on this module's path: " + entry);
        }
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.hazelcast.core.Hazelcast"),
                "the engine is on the class path");
    }

    @Test
    @DisplayName("without futures.cluster on the path, create(\"cluster\") fails with the usual unknown-provider message")
    void clusterIsUnknownWithoutTheModule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executors.create("cluster"));
        assertTrue(e.getMessage().startsWith("unknown provider 'cluster'; available: "), e.getMessage());
        assertTrue(Executors.providers().stream().noneMatch(p -> p.name().equals("cluster")));
    }
}

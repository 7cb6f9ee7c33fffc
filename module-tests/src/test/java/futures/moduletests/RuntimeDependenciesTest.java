package futures.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.module.ModuleDescriptor.Requires;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Decision 0002 (docs/decisions/0002-no-commons-lang.md): the runtime modules depend on the JDK
 * only. A library module required here (Commons Lang, or anything else) fails this test, so adding
 * one is a visible change of the decision, not a silent one.
 */
class RuntimeDependenciesTest {

    @Test
    @DisplayName("futures.spi, futures.core and futures.providers require only JDK modules and each other")
    void runtimeModulesRequireOnlyTheJdk() {
        List<String> outside = new java.util.ArrayList<>();
        for (String name : List.of("futures.spi", "futures.core", "futures.providers")) {
            Module m = ModuleLayer.boot().findModule(name).orElseThrow(() -> new AssertionError(
                    name + " is not in the boot layer: it is not on the module path"));
            for (Requires r : new TreeSet<>(m.getDescriptor().requires())) {
                String req = r.name();
                boolean jdk = ModuleLayer.boot().findModule(req)
                        .map(dep -> dep.getClassLoader() == null || dep.getClassLoader() == ClassLoader.getPlatformClassLoader())
                        .orElse(false);
                if (!jdk && !req.startsWith("futures.")) {
                    outside.add(name + " requires " + req);
                }
            }
        }
        assertEquals(List.of(), outside, "runtime modules must depend on the JDK only (decision 0002)");
    }
}

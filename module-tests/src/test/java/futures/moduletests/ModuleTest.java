package futures.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Opens;
import java.lang.module.ModuleDescriptor.Provides;
import java.lang.module.ModuleDescriptor.Requires;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each module of the library as the module system sees it at run time (Caffeine's moduleTest):
 * its name, its exact export list, no qualified exports, and who uses and who provides the SPI.
 * The modules are looked up in the boot layer, so a module that slipped onto the class path fails
 * here instead of silently becoming part of the unnamed module.
 */
class ModuleTest {

    /** The built-in providers, in the order futures.providers declares them. */
    private static final List<String> BUILT_IN_PROVIDERS = List.of(
            "futures.providers.thread.ThreadProvider",
            "futures.providers.virtual.VirtualProvider",
            "futures.providers.process.ProcessProvider");

    private static ModuleDescriptor descriptor(String name) {
        Module m = ModuleLayer.boot().findModule(name).orElseThrow(() -> new AssertionError(
                name + " is not in the boot layer: it is not on the module path"));
        assertTrue(m.isNamed());
        assertEquals(name, m.getName());
        return m.getDescriptor();
    }

    private static Set<String> exported(ModuleDescriptor d) {
        return d.exports().stream().map(Exports::source).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertNoQualifiedExports(ModuleDescriptor d) {
        for (Exports e : d.exports()) {
            assertFalse(e.isQualified(), d.name() + " exports " + e.source() + " only to " + e.targets());
        }
    }

    private static void assertPackagesUnderModuleName(ModuleDescriptor d) {
        for (String p : d.packages()) {
            assertTrue(p.equals(d.name()) || p.startsWith(d.name() + "."),
                    d.name() + " holds package " + p + ", outside its root package");
        }
    }

    @Test
    @DisplayName("these tests run on the module path, in module futures.moduletests")
    void testsRunInANamedModule() {
        Module me = getClass().getModule();
        assertTrue(me.isNamed(), "the tests run on the class path: Surefire did not use the module path");
        assertEquals("futures.moduletests", me.getName());
    }

    @Test
    @DisplayName("futures.spi exports futures.spi to everyone, futures.spi.internal only to the two provider modules, and opens nothing")
    void spiModule() {
        ModuleDescriptor d = descriptor("futures.spi");
        assertEquals(Set.of("futures.spi", "futures.spi.internal"), exported(d));
        for (Exports e : d.exports()) {
            if (e.source().equals("futures.spi")) {
                assertFalse(e.isQualified(), "futures.spi is exported to everyone");
            } else {
                assertEquals(Set.of("futures.providers", "futures.cluster"), e.targets(),
                        "futures.spi.internal is not API: exported only to the providers that share it");
            }
        }
        assertEquals(Set.of(), d.opens());
        assertFalse(d.isOpen());
        assertPackagesUnderModuleName(d);
    }

    @Test
    @DisplayName("futures.core exports exactly futures.core, requires futures.spi transitively and uses ExecutorProvider")
    void coreModule() {
        ModuleDescriptor d = descriptor("futures.core");
        assertEquals(Set.of("futures.core"), exported(d));
        assertNoQualifiedExports(d);
        assertEquals(Set.of(), d.opens());
        assertFalse(d.isOpen());
        assertEquals(Set.of("futures.spi.ExecutorProvider"), d.uses());
        Requires spi = d.requires().stream().filter(r -> r.name().equals("futures.spi")).findFirst()
                .orElseThrow(() -> new AssertionError("futures.core does not require futures.spi"));
        assertTrue(spi.modifiers().contains(Requires.Modifier.TRANSITIVE),
                "users of futures.core must read futures.spi (ExecutorConfig is in its API)");
        assertPackagesUnderModuleName(d);
    }

    @Test
    @DisplayName("futures.providers exports nothing and provides ExecutorProvider with exactly the thread, virtual and process providers")
    void providersModule() {
        ModuleDescriptor d = descriptor("futures.providers");
        assertEquals(Set.of(), exported(d));
        assertEquals(Set.of(), d.opens());
        assertFalse(d.isOpen());
        Provides p = d.provides().stream().filter(x -> x.service().equals("futures.spi.ExecutorProvider")).findFirst()
                .orElseThrow(() -> new AssertionError("futures.providers provides no ExecutorProvider"));
        assertEquals(BUILT_IN_PROVIDERS, p.providers(), "the provides ... with list of futures.providers");
        assertEquals(Set.of("futures.spi.ExecutorProvider"),
                d.provides().stream().map(Provides::service).collect(Collectors.toSet()));
        assertPackagesUnderModuleName(d);
    }

    @Test
    @DisplayName("futures.providers lists the same providers, in the same order, in META-INF/services for the class path")
    void providersServiceFileMatchesModuleInfo() throws IOException {
        Module providers = ModuleLayer.boot().findModule("futures.providers").orElseThrow();
        // META-INF/services is not a package, so the module does not encapsulate it.
        try (InputStream in = providers.getResourceAsStream("META-INF/services/futures.spi.ExecutorProvider")) {
            assertNotNull(in, "futures.providers has no META-INF/services/futures.spi.ExecutorProvider");
            List<String> listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
            assertEquals(BUILT_IN_PROVIDERS, listed);
        }
    }

    @Test
    @DisplayName("futures.testkit exports exactly futures.testkit and opens it only to JUnit")
    void testkitModule() {
        ModuleDescriptor d = descriptor("futures.testkit");
        assertEquals(Set.of("futures.testkit"), exported(d));
        assertNoQualifiedExports(d);
        assertFalse(d.isOpen());
        assertEquals(1, d.opens().size(), d.opens().toString());
        Opens o = d.opens().iterator().next();
        assertEquals("futures.testkit", o.source());
        assertEquals(Set.of("org.junit.platform.commons"), o.targets());
        assertPackagesUnderModuleName(d);
    }

    @Test
    @DisplayName("a user module reads the API and the SPI but not futures.providers, which it reaches only by name")
    void userModuleDoesNotReadProviders() {
        Module me = getClass().getModule();
        Module providers = ModuleLayer.boot().findModule("futures.providers").orElseThrow();
        assertTrue(me.canRead(ModuleLayer.boot().findModule("futures.core").orElseThrow()));
        assertTrue(me.canRead(ModuleLayer.boot().findModule("futures.spi").orElseThrow()),
                "futures.core's requires transitive futures.spi");
        assertFalse(me.canRead(providers));
        for (String p : providers.getPackages()) {
            assertFalse(providers.isExported(p, me), p + " is exported to this module");
        }
    }
}

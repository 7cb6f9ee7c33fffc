package futures.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import futures.spi.ExecutorConfig;
import java.io.ObjectInputFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configurations the provider builds, without starting anything. */
class SettingsTest {

    private static Config member(Map<String, String> keys) {
        return Engines.memberConfig(Settings.of(ExecutorConfig.of(keys)));
    }

    /** Runs {@code r}, returning the WARNINGs logged meanwhile on logger futures.cluster. */
    private static List<String> warnings(Runnable r) {
        List<String> seen = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger("futures.cluster");
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    seen.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        boolean parents = logger.getUseParentHandlers();
        logger.addHandler(h);
        logger.setUseParentHandlers(false); // captured here, not printed: a pass prints nothing
        try {
            r.run();
        } finally {
            logger.removeHandler(h);
            logger.setUseParentHandlers(parents);
        }
        return seen;
    }

    @Test
    void defaultsAreLoopbackTcpIpNoMulticastNoPhoneHome() {
        List<String> logged = warnings(() -> {
            Config c = member(Map.of());
            assertEquals("futures", c.getClusterName());
            assertEquals(List.of("127.0.0.1"), List.copyOf(c.getNetworkConfig().getInterfaces().getInterfaces()));
            assertTrue(c.getNetworkConfig().getInterfaces().isEnabled());
            assertEquals("false", c.getProperty("hazelcast.socket.bind.any"));
            assertEquals("false", c.getProperty("hazelcast.phone.home.enabled"));
            assertFalse(c.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
            assertFalse(c.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled());
            assertTrue(c.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
            assertEquals(EngineLog.class.getName(), c.getProperty("hazelcast.logging.class"));
            assertTrue(c.getSerializationConfig().getJavaSerializationFilterConfig() != null);
        });
        assertEquals(List.of(), logged, "no warning for loopback");
    }

    @Test
    void nonLoopbackBindWarnsNamingTheRisk() {
        List<String> logged = warnings(() -> member(Map.of("bind_address", "192.0.2.7")));
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).contains("192.0.2.7") && logged.get(0).contains("authenticate")
                && logged.get(0).contains("run code"), logged.get(0));
    }

    @Test
    void configFileIsReadAndTheKeysStillWin(@TempDir Path dir) throws Exception {
        Path xml = dir.resolve("member.xml");
        Files.writeString(xml, """
                <hazelcast xmlns="http://www.hazelcast.com/schema/config">
                  <cluster-name>from-file</cluster-name>
                  <network><port auto-increment="true">6100</port></network>
                </hazelcast>
                """);
        Config[] c = new Config[2];
        List<String> logged = warnings(() -> {
            c[0] = member(Map.of("config_file", xml.toString()));
            c[1] = member(Map.of("config_file", xml.toString(), "cluster_name", "from-key"));
        });
        assertEquals("from-file", c[0].getClusterName());
        assertEquals(6100, c[0].getNetworkConfig().getPort());
        assertEquals("false", c[0].getProperty("hazelcast.phone.home.enabled"), "phone-home off unless the file sets it");
        assertEquals("from-key", c[1].getClusterName());
        assertEquals(2, logged.size(), "a file that names no interface binds every one, and says so: " + logged);
        assertTrue(logged.get(0).contains("every network interface"), logged.get(0));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> member(Map.of("config_file", dir.resolve("nope.xml").toString())));
        assertTrue(bad.getMessage().contains("not a readable file"), bad.getMessage());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> member(Map.of("config_file", dir.resolve("x.json").toString())));
        assertTrue(kind.getMessage().contains(".xml, .yaml or .yml"), kind.getMessage());
    }

    @Test
    void clientConfigIsSafeToo() {
        var c = Engines.clientConfig(Settings.of(ExecutorConfig.of(Map.of("mode", "client", "members", "127.0.0.1:5999"))));
        assertEquals(List.of("127.0.0.1:5999"), c.getNetworkConfig().getAddresses());
        assertEquals("false", c.getProperty("hazelcast.phone.home.enabled"));
        assertFalse(c.getNetworkConfig().getAutoDetectionConfig().isEnabled());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.of(ExecutorConfig.of(Map.of("mode", "client", "bind_address", "127.0.0.1"))));
        assertTrue(e.getMessage().contains("embedded"), e.getMessage());
    }

    @Test
    void filterAllowsTheLibraryAndTheJdkDeniesGadgetsAndUnknownPackages() throws Exception {
        ObjectInputFilter f = SerialFilter.of(SerialFilter.config(List.of("com.example."), List.of()));
        assertEquals(ObjectInputFilter.Status.ALLOWED, status(f, Integer.class));
        assertEquals(ObjectInputFilter.Status.ALLOWED, status(f, int[].class));
        assertEquals(ObjectInputFilter.Status.ALLOWED, status(f, SettingsTest.class));
        assertEquals(ObjectInputFilter.Status.REJECTED, status(f, Class.forName("com.sun.crypto.provider.SunJCE")));
        assertEquals(ObjectInputFilter.Status.REJECTED, status(f, org.junit.jupiter.api.Test.class));
        assertEquals(List.of("com.example.", "org.x."), SerialFilter.prefixes("k", "com.example., org.x"));
        assertThrows(IllegalArgumentException.class, () -> SerialFilter.prefixes("k", "com/example"));
    }

    @Test
    void eachFilterKeepsItsOwnAnswers() {
        // each filter remembers its answer per class: asking one must not answer for another
        ObjectInputFilter allowing = SerialFilter.of(SerialFilter.config(List.of("org.junit."), List.of()));
        ObjectInputFilter denying = SerialFilter.of(SerialFilter.config(List.of(), List.of("org.junit.")));
        ObjectInputFilter plain = SerialFilter.of(SerialFilter.config(List.of(), List.of()));
        for (int round = 0; round < 2; round++) {
            assertEquals(ObjectInputFilter.Status.ALLOWED, status(allowing, Test.class));
            assertEquals(ObjectInputFilter.Status.REJECTED, status(denying, Test.class));
            assertEquals(ObjectInputFilter.Status.REJECTED, status(plain, Test.class));
            assertEquals(ObjectInputFilter.Status.ALLOWED, status(allowing, Test[][].class));
            assertEquals(ObjectInputFilter.Status.REJECTED, status(denying, Test[][].class));
        }
    }

    private static ObjectInputFilter.Status status(ObjectInputFilter f, Class<?> c) {
        return f.checkInput(new ObjectInputFilter.FilterInfo() {
            @Override public Class<?> serialClass() { return c; }
            @Override public long arrayLength() { return -1; }
            @Override public long depth() { return 1; }
            @Override public long references() { return 1; }
            @Override public long streamBytes() { return 100; }
        });
    }
}

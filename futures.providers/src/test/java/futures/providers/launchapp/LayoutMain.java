package futures.providers.launchapp;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.util.TreeSet;

/**
 * An application on the class path with the futures modules on the module path (the README's
 * layout), run by {@code LaunchersTest} as the parent of a process pool: a task uses
 * {@code java.sql}, which this JVM resolves by default, and a {@code Timestamp} crosses as an
 * argument (by reflection only because this test source is compiled inside futures.providers,
 * which does not read java.sql). Prints {@code RESULT <made>|<argument>|<worker's boot modules>|<own boot modules>}.
 */
public final class LayoutMain {
    private LayoutMain() {}

    public static void main(String[] args) {
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build())) {
            String made = ex.submit(() -> timestamp("2020-01-01 00:00:00").toString()).result();
            Object ts = timestamp("2021-02-03 04:05:06");
            String arg = ex.submit((Object t) -> t.toString() + " in " + t.getClass().getModule().getName(), ts).result();
            String workerModules = ex.submit(LayoutMain::bootModules).result();
            System.out.println("RESULT " + made + "|" + arg + "|" + workerModules + "|" + bootModules());
        }
    }

    /** {@code java.sql.Timestamp.valueOf(s)}. */
    static Object timestamp(String s) {
        try {
            return Class.forName("java.sql.Timestamp").getMethod("valueOf", String.class).invoke(null, s);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String bootModules() {
        TreeSet<String> names = new TreeSet<>();
        for (Module m : ModuleLayer.boot().modules()) {
            names.add(m.getName());
        }
        return String.join(",", names);
    }
}

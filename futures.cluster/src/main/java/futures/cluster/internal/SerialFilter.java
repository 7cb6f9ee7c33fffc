package futures.cluster.internal;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.JavaSerializationFilterConfig;
import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java serialization filter of a cluster: one {@link JavaSerializationFilterConfig} set on the
 * engine (which applies it to whatever it deserializes with Java serialization), and the same
 * lists applied by this library to the calls and outcomes it reads itself.
 *
 * <p>Allowed: the JDK ({@code java.}), this library ({@code futures.}), the engine's own classes,
 * arrays of allowed classes, and the packages named in {@code serialization_allow}. Denied, before
 * anything is allowed: packages of known deserialization gadgets, and those named in
 * {@code serialization_deny}. Immutable.
 */
final class SerialFilter {
    private SerialFilter() {}

    /** Allowed besides the engine's defaults ({@code java}, {@code com.hazelcast.}, arrays). */
    static final List<String> ALLOW = List.of("java.", "futures.");

    /** Known gadget packages and JDK internals; denied whatever the allow list says. */
    static final List<String> DENY = List.of(
            "java.rmi.", "javax.management.", "javax.naming.", "javax.script.", "sun.", "com.sun.", "jdk.",
            "javassist.", "org.apache.commons.collections.functors.", "org.apache.commons.collections4.functors.",
            "org.apache.commons.beanutils.", "org.apache.commons.fileupload.", "org.apache.xalan.",
            "org.apache.wicket.util.upload.", "org.apache.myfaces.", "org.codehaus.groovy.runtime.",
            "org.springframework.beans.", "org.springframework.aop.", "org.springframework.core.",
            "com.mchange.", "org.hibernate.", "bsh.", "clojure.", "org.python.", "org.mozilla.javascript.",
            "org.h2.", "com.rometools.", "net.sf.json.", "org.jboss.interceptor.", "com.vaadin.",
            "org.aspectj.", "com.fasterxml.jackson.databind.", "org.yaml.snakeyaml.", "ch.qos.logback.");

    /** The engine's filter config for these extra allowed and denied package prefixes. */
    static JavaSerializationFilterConfig config(List<String> allow, List<String> deny) {
        ClassFilter white = new ClassFilter();
        white.addPrefixes(ALLOW.toArray(String[]::new));
        white.addPrefixes(allow.toArray(String[]::new));
        ClassFilter black = new ClassFilter();
        black.addPrefixes(DENY.toArray(String[]::new));
        black.addPrefixes(deny.toArray(String[]::new));
        JavaSerializationFilterConfig c = new JavaSerializationFilterConfig();
        c.setWhitelist(white);
        c.setBlacklist(black);
        c.setDefaultsDisabled(false); // the engine's defaults stay: its own classes, and its own deny list
        return c;
    }

    /**
     * The {@link ObjectInputFilter} with the engine's semantics for {@code config}: denied if the
     * deny list names the class; else allowed if the allow list (or, with defaults on, the engine's
     * defaults) names it; else denied if there is an allow list at all. A JVM whose engine has no
     * filter config gets this library's deny list only.
     */
    static ObjectInputFilter of(JavaSerializationFilterConfig config) {
        ClassFilter black;
        ClassFilter white;
        boolean defaults;
        if (config == null) {
            black = new ClassFilter().addPrefixes(DENY.toArray(String[]::new));
            white = new ClassFilter();
            defaults = false;
        } else {
            black = config.getBlacklist();
            white = config.getWhitelist();
            defaults = !config.isDefaultsDisabled();
        }
        boolean allowListed = defaults || !white.isEmpty();
        // Each class's answer, found once: the lists are fixed once the engine runs, and a stream
        // asks for each class it holds (about fifteen times for a task), each answer a walk of
        // some thirty prefixes.
        ClassValue<ObjectInputFilter.Status> answers = new ClassValue<>() {
            @Override
            protected ObjectInputFilter.Status computeValue(Class<?> c) {
                return decide(c, black, white, allowListed, defaults);
            }
        };
        return info -> {
            Class<?> c = info.serialClass();
            return c == null ? ObjectInputFilter.Status.UNDECIDED : answers.get(c);
        };
    }

    private static ObjectInputFilter.Status decide(Class<?> c, ClassFilter black, ClassFilter white,
            boolean allowListed, boolean defaults) {
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive()) {
            return ObjectInputFilter.Status.ALLOWED;
        }
        String name = c.getName();
        if (black.isListed(name)) {
            return ObjectInputFilter.Status.REJECTED;
        }
        if (!allowListed || white.isListed(name)
                || (defaults && (name.startsWith("java") || name.startsWith("com.hazelcast.")))) {
            return ObjectInputFilter.Status.ALLOWED;
        }
        return ObjectInputFilter.Status.REJECTED;
    }

    /** Splits a comma-separated list of package prefixes, each ending with a dot. */
    static List<String> prefixes(String key, String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String p : value.split(",")) {
            String s = p.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (!s.matches("[\\p{javaJavaIdentifierPart}.$]+")) {
                throw new IllegalArgumentException("config key '" + key + "' takes package prefixes separated by"
                        + " commas, such as 'com.example.,org.example.app.'; got '" + value + "'");
            }
            out.add(s.endsWith(".") ? s : s + ".");
        }
        return out;
    }
}

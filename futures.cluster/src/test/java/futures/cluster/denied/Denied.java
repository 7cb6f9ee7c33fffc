package futures.cluster.denied;

import java.io.Serializable;

/** A Serializable value in a package the shared test members deny (config key serialization_deny). */
public record Denied(String value) implements Serializable {}

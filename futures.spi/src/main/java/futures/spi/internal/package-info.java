/**
 * Not API: code shared by this library's own providers, exported only to {@code futures.providers}
 * and {@code futures.cluster} (on the class path nothing enforces that; do not use it).
 */
package futures.spi.internal;

package futures.cluster.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets a process listens on, read from Linux's {@code /proc}: the socket inodes among
 * the process's open files, looked up in {@code /proc/net/tcp} and {@code tcp6} in state LISTEN.
 */
final class Listening {
    private Listening() {}

    /** The local addresses ("ip:port", ip in the kernel's hex) that {@code pid} listens on. */
    static List<String> addresses(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (String table : List.of("/proc/" + pid + "/net/tcp", "/proc/" + pid + "/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) { // 0A: LISTEN
                    out.add(f[1]);
                }
            }
        }
        return out;
    }

    /** Whether a kernel-hex local address is loopback: 127.x.x.x, ::1 or ::ffff:127.x.x.x. */
    static boolean isLoopback(String hexAddress) {
        String ip = hexAddress.substring(0, hexAddress.indexOf(':'));
        if (ip.length() == 8) {
            return ip.endsWith("7F"); // little-endian: the first octet is the last byte
        }
        return ip.equals("00000000000000000000000001000000")
                || (ip.startsWith("0000000000000000FFFF0000") && ip.endsWith("7F"));
    }

    /** The listening addresses of {@code pid} that are not loopback. */
    static List<String> nonLoopback(long pid) throws IOException {
        return addresses(pid).stream().filter(a -> !isLoopback(a)).toList();
    }
}

package futures.providers.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether another local user could change what a path names, checked as OpenSSH's
 * {@code StrictModes} checks a user's files: the path's real form (links resolved) and each of its
 * ancestors up to {@code /} must be owned by root or by this process's user, and must not be
 * writable by group or others, unless it is a directory owned by root with the sticky bit set
 * ({@code /tmp}, mode 1777: others can add entries there but not rename or delete ours). A path
 * that passes names the same file for as long as only root and this user act; one that does not
 * could be swapped by another user between a check and a use (a class-data archive the worker
 * maps as code, an argfile the worker reads).
 *
 * <p>Stateless; this user's uid is read once. POSIX only: elsewhere (no {@code unix} file
 * attribute view) nothing can be checked and {@link #problem} says so.
 */
final class Ownership {
    private Ownership() {}

    private static final int GROUP_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;

    /** This process's uid: the owner of {@code /proc/self} (Linux); -1 where unknown. */
    private static final class Me {
        static final int UID = uid();

        private static int uid() {
            try {
                return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    /**
     * Null if {@code path} (which must exist) and every ancestor of its real path are safe in the
     * sense of the class comment; else what is wrong, naming the path, its owner and mode.
     */
    static String problem(Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            return "cannot resolve " + path + ": " + e;
        }
        for (Path p = real; p != null; p = p.getParent()) {
            String why = problemOfOne(p);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /** {@link #problem} for one path, not its ancestors; links not followed. */
    static String problemOfOne(Path p) {
        Map<String, Object> at;
        try {
            at = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return "cannot check the owner and mode of " + p + " on this system";
        } catch (IOException e) {
            return "cannot read the owner and mode of " + p + ": " + e;
        }
        int uid = (Integer) at.get("uid");
        int mode = (Integer) at.get("mode");
        boolean mine = uid == 0 || (Me.UID >= 0 && uid == Me.UID) || (Me.UID < 0 && ownedByUserName(p));
        if (!mine) {
            return p + " is owned by uid " + uid + ", neither root nor this user (uid " + Me.UID + ")";
        }
        if ((mode & GROUP_OTHER_WRITE) != 0 && !(uid == 0 && (mode & STICKY) != 0 && Files.isDirectory(p,
                LinkOption.NOFOLLOW_LINKS))) {
            return p + " (mode " + Integer.toOctalString(mode & 07777) + ", owner uid " + uid
                    + ") is writable by other users and is not a root-owned sticky directory";
        }
        return null;
    }

    /** Whether {@code p}'s owner is this user by name, where the uid is unknown. */
    private static boolean ownedByUserName(Path p) {
        try {
            return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code p} is a file owned by this user that no one else may write (links not followed). */
    static String problemOfOwnFile(Path p) {
        String why = problemOfOne(p);
        if (why != null) {
            return why;
        }
        try {
            int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (uid != Me.UID && Me.UID >= 0) {
                return p + " is owned by uid " + uid + ", not this user (uid " + Me.UID + ")";
            }
        } catch (IOException | RuntimeException e) {
            return "cannot read the owner of " + p + ": " + e;
        }
        return null;
    }

    /** This user's uid, or -1 if unknown: for messages and tests. */
    static int uid() {
        return Me.UID;
    }
}

package dev.corral.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Who runs Corral: real uid and gid, user name and home folder. */
public record Identity(long uid, long gid, String user, Path home) {

    public boolean isRoot() {
        return uid == 0;
    }

    /** Reads the ids from /proc/self/status; the name and home from the environment or the JVM. */
    public static Identity current(Map<String, String> env) {
        long uid = -1;
        long gid = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) uid = Long.parseLong(line.split("\\s+")[1]);
                if (line.startsWith("Gid:")) gid = Long.parseLong(line.split("\\s+")[1]);
            }
        } catch (IOException | RuntimeException e) {
            throw new HostException("cannot read /proc/self/status: " + e.getMessage(), "Corral needs Linux with /proc mounted", e);
        }
        String home = env.get("HOME");
        Path homePath = home != null && home.startsWith("/") ? Path.of(home) : Path.of(System.getProperty("user.home"));
        String user = env.getOrDefault("USER", System.getProperty("user.name"));
        return new Identity(uid, gid, user, homePath.normalize());
    }
}

package dev.corral.host.cgroup;

import java.nio.file.Path;
import java.util.List;

/**
 * A cgroup prepared for one sandbox. The launcher joins it before it executes anything of the
 * sandbox: it writes its own pid into every file of {@link #procsFiles()} and prefixes its command
 * with {@link #commandPrefix()} (for example {@code systemd-run --user --scope ...}).
 */
public interface Confinement extends AutoCloseable {

    /** {@code cgroup.procs} files the launcher writes its own pid into; may be empty. */
    List<Path> procsFiles();

    /** argv to put in front of the sandbox command; may be empty. */
    List<String> commandPrefix();

    /** What the cgroup saw while the sandbox ran; read after the sandbox exited. */
    LimitEvents events();

    /** Kills every process still in the cgroup (daemons the sandbox left behind). */
    void killAll();

    /** Kills what is left and removes the cgroup. Never throws. */
    @Override
    void close();

    /** Whether limits are really enforced (false only for {@link #none()}). */
    boolean enforced();

    /** No cgroup at all: nothing is limited. */
    static Confinement none() {
        return NoConfinement.INSTANCE;
    }

    /** Limit hits counted by the kernel. */
    record LimitEvents(long oomKills, long pidsLimitHits) {
        public static final LimitEvents NONE = new LimitEvents(0, 0);
    }
}

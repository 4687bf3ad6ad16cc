package dev.corral.host.cgroup;

import java.nio.file.Path;
import java.util.List;

enum NoConfinement implements Confinement {
    INSTANCE;

    @Override public List<Path> procsFiles() { return List.of(); }
    @Override public List<String> commandPrefix() { return List.of(); }
    @Override public LimitEvents events() { return LimitEvents.NONE; }
    @Override public void killAll() { }
    @Override public void close() { }
    @Override public boolean enforced() { return false; }
}

package dev.corral.host.cgroup;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A cgroup filesystem in a temporary directory that behaves like the kernel's where Corral relies
 * on it: mkdir fills in the control files of the enabled controllers, cgroup.subtree_control takes
 * "+controller", rmdir refuses cgroups with processes, and kill takes processes out of them.
 */
class FakeCgroupOs extends LinuxCgroupOs {

    private final Map<Path, Set<Controller>> v1Hierarchies = new LinkedHashMap<>();
    private final Set<Path> v2Hierarchies = new HashSet<>();
    private final Map<Path, Integer> owners = new HashMap<>();
    private final Set<String> failingFiles = new HashSet<>();
    private final Set<String> commandsOnPath = new HashSet<>();
    final List<String> writes = new ArrayList<>();
    final List<Long> killed = new ArrayList<>();
    final List<List<String>> commandsRun = new ArrayList<>();
    boolean swapAccounting = true;
    boolean cgroupKillFile = true;

    FakeCgroupOs v2Hierarchy(Path mount, String rootControllers) throws IOException {
        Files.createDirectories(mount);
        v2Hierarchies.add(mount);
        Files.writeString(mount.resolve("cgroup.controllers"), rootControllers + "\n");
        Files.writeString(mount.resolve("cgroup.subtree_control"), "");
        Files.writeString(mount.resolve("cgroup.procs"), "1\n");
        return this;
    }

    FakeCgroupOs v1Hierarchy(Path mount, Controller... controllers) throws IOException {
        Files.createDirectories(mount);
        v1Hierarchies.put(mount, controllers.length == 0 ? EnumSet.noneOf(Controller.class) : EnumSet.of(controllers[0], controllers));
        Files.writeString(mount.resolve("cgroup.procs"), "1\n");
        return this;
    }

    /** A v2 cgroup below a hierarchy, as systemd would have made it, with these controllers enabled for it. */
    FakeCgroupOs existingV2Cgroup(Path dir, String controllers, String subtreeControl) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cgroup.controllers"), controllers + "\n");
        Files.writeString(dir.resolve("cgroup.subtree_control"), subtreeControl + "\n");
        Files.writeString(dir.resolve("cgroup.procs"), "");
        return this;
    }

    FakeCgroupOs owner(Path path, int uid) {
        owners.put(path, uid);
        return this;
    }

    FakeCgroupOs failWritesTo(String fileName) {
        failingFiles.add(fileName);
        return this;
    }

    FakeCgroupOs onPath(String command) {
        commandsOnPath.add(command);
        return this;
    }

    void addProcess(Path cgroup, long pid) throws IOException {
        Files.writeString(cgroup.resolve("cgroup.procs"), pid + "\n", java.nio.file.StandardOpenOption.APPEND);
    }

    String content(Path file) throws IOException {
        return Files.readString(file).trim();
    }

    @Override
    public void createDirectory(Path dir) throws IOException {
        super.createDirectory(dir);
        file(dir, "cgroup.procs", "");
        for (Path mount : v2Hierarchies) {
            if (dir.startsWith(mount)) populateV2(dir);
        }
        v1Hierarchies.forEach((mount, controllers) -> {
            if (dir.startsWith(mount)) populateV1(dir, controllers);
        });
    }

    private void populateV2(Path dir) {
        String enabled = contentOrEmpty(dir.getParent().resolve("cgroup.subtree_control"));
        Set<Controller> controllers = Controller.listedIn(enabled);
        file(dir, "cgroup.controllers", Controller.names(controllers).replace("none", ""));
        file(dir, "cgroup.subtree_control", "");
        if (cgroupKillFile) file(dir, "cgroup.kill", "");
        if (controllers.contains(Controller.MEMORY)) {
            file(dir, "memory.max", "max");
            if (swapAccounting) file(dir, "memory.swap.max", "max");
            file(dir, "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
        }
        if (controllers.contains(Controller.PIDS)) {
            file(dir, "pids.max", "max");
            file(dir, "pids.events", "max 0\n");
        }
        if (controllers.contains(Controller.CPU)) file(dir, "cpu.max", "max 100000");
    }

    private void populateV1(Path dir, Set<Controller> controllers) {
        file(dir, "tasks", "");
        if (controllers.contains(Controller.MEMORY)) {
            file(dir, "memory.limit_in_bytes", "9223372036854771712");
            if (swapAccounting) file(dir, "memory.memsw.limit_in_bytes", "9223372036854771712");
            file(dir, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        }
        if (controllers.contains(Controller.PIDS)) {
            file(dir, "pids.max", "max");
            file(dir, "pids.events", "max 0\n");
        }
        if (controllers.contains(Controller.CPU)) {
            file(dir, "cpu.cfs_period_us", "100000");
            file(dir, "cpu.cfs_quota_us", "-1");
        }
    }

    @Override
    public void write(Path file, String value) throws IOException {
        writes.add(file.getParent().getFileName() + "/" + file.getFileName() + "=" + value);
        String name = file.getFileName().toString();
        if (failingFiles.contains(name)) throw new FileSystemException(file.toString(), null, "Invalid argument");
        switch (name) {
            case "cgroup.subtree_control" -> enable(file, value);
            case "cgroup.kill" -> killTree(file.getParent());
            default -> super.write(file, value);
        }
    }

    private void enable(Path subtreeControl, String value) throws IOException {
        Path dir = subtreeControl.getParent();
        Controller controller = Controller.named(value.substring(1)).orElseThrow();
        if (!Controller.listedIn(content(dir.resolve("cgroup.controllers"))).contains(controller)) {
            throw new FileSystemException(subtreeControl.toString(), null, "No such file or directory");
        }
        if (!v2Hierarchies.contains(dir) && !content(dir.resolve("cgroup.procs")).isEmpty()) {
            throw new FileSystemException(subtreeControl.toString(), null, "Device or resource busy");
        }
        Set<Controller> enabled = Controller.listedIn(content(subtreeControl));
        enabled.add(controller);
        super.write(subtreeControl, Controller.names(enabled));
    }

    private void killTree(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path procs : tree.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
                super.write(procs, "");
            }
        }
    }

    @Override
    public void removeDirectory(Path dir) throws IOException {
        if (!content(dir.resolve("cgroup.procs")).isEmpty() || !subdirectories(dir).isEmpty()) {
            throw new FileSystemException(dir.toString(), null, "Device or resource busy");
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) Files.delete(file);
        }
        super.removeDirectory(dir);
    }

    @Override
    public int ownerUid(Path path) {
        return owners.getOrDefault(path, 0);
    }

    /** Takes the process out of every cgroup, as its death would. */
    @Override
    public void kill(long pid) {
        killed.add(pid);
        Set<Path> roots = new HashSet<>(v2Hierarchies);
        roots.addAll(v1Hierarchies.keySet());
        for (Path root : roots) {
            try (Stream<Path> tree = Files.walk(root)) {
                for (Path procs : tree.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
                    String left = Files.readAllLines(procs).stream()
                            .filter(line -> !line.trim().equals(Long.toString(pid)))
                            .map(line -> line + "\n").collect(Collectors.joining());
                    Files.writeString(procs, left);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Override
    public boolean hasCommand(String name) {
        return commandsOnPath.contains(name);
    }

    @Override
    public int run(List<String> argv) {
        commandsRun.add(List.copyOf(argv));
        return 0;
    }

    private static void file(Path dir, String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String contentOrEmpty(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "";
        }
    }
}

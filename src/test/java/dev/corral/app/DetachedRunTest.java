package dev.corral.app;

import dev.corral.sandbox.SandboxException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DetachedRunTest {
    @Test
    void theSupervisorStartsWithTheSameJvmOptionsAndJarAsThisCorral() {
        List<String> cmdline = List.of("/jdk/bin/java", "-XX:+UseSerialGC", "-XX:AOTCache=/c/corral.aot", "-Dx=1", "-jar",
                "/c/corral.jar", "run", "-d", "--", "-jar", "x");

        assertEquals(List.of("/jdk/bin/java", "-XX:+UseSerialGC", "-XX:AOTCache=/c/corral.aot", "-Dx=1", "-jar", "/c/corral.jar"),
                DetachedRun.jvmPart(cmdline));
    }

    @Test
    void aCorralStartedByItsMainClassWorksToo() {
        assertEquals(List.of("java", "-cp", "a.jar:b.jar", "dev.corral.cli.Main"),
                DetachedRun.jvmPart(List.of("java", "-cp", "a.jar:b.jar", "dev.corral.cli.Main", "run", "-d")));
    }

    @Test
    void anUnknownLauncherIsAClearError() {
        SandboxException e = assertThrows(SandboxException.class, () -> DetachedRun.jvmPart(List.of("corral-native", "run", "-d")));
        assertEquals(true, e.fix().orElseThrow().contains("java -jar"));
    }

    @Test
    void theSupervisorKeepsItsHeapSmall() {
        assertEquals(true, DetachedRun.SUPERVISOR_JVM_OPTIONS.contains("-Xmn4m"));
    }
}

package dev.corral.git;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkspaceStatusTest {
    @Test
    void namesAreNulSeparatedAndMayHoldNewlines() {
        assertEquals(List.of(), WorkspaceStatus.names(""));
        assertEquals(List.of("README.md", "new file", "a\nb"), WorkspaceStatus.names("README.md\0new file\0a\nb\0"));
    }
}

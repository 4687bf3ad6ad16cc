package dev.corral.git;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkspaceStatusTest {
    @Test
    void eachEntryIsOneFileAndARenameCarriesItsSource() {
        assertEquals(0, WorkspaceStatus.count(""));
        assertEquals(3, WorkspaceStatus.count(" M README.md\0?? new file\0D  gone.txt\0"));
        assertEquals(2, WorkspaceStatus.count("R  new name\0old name\0 M a\nb\0"), "a rename is one file; names may hold newlines");
        assertEquals(1, WorkspaceStatus.count("C  copy\0source\0"));
    }
}

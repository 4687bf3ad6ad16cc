package dev.corral.git;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedRepositoriesTest {
    @TempDir
    Path tmp;
    Path ws;
    Path lib;

    @BeforeEach
    void aPlainEmbeddedRepository() throws IOException, InterruptedException {
        ws = tmp.toRealPath();
        lib = Files.createDirectories(ws.resolve("lib"));
        Process init = new ProcessBuilder("git", "init", "-q", lib.toString()).inheritIO().start();
        assertTrue(init.waitFor() == 0);
        Files.writeString(lib.resolve(".git/config"), "[remote \"origin\"]\n\turl = https://example.com/toolkit-exec-cmd.git\n"
                + "\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch \"main\"]\n\tremote = origin\n\tmerge = refs/heads/main\n",
                StandardOpenOption.APPEND);
    }

    private boolean unsafe() {
        return EmbeddedRepositories.unsafe(ws, lib.resolve(".git")).isPresent();
    }

    @Test
    void whatGitInitAndCloneWriteIsHarmless() {
        assertTrue(!unsafe(), () -> "reason: " + EmbeddedRepositories.unsafe(ws, lib.resolve(".git")));
    }

    @Test
    void anFsmonitorIsCaught() throws IOException {
        Files.writeString(lib.resolve(".git/config"), "[core]\n\tfsmonitor = touch /tmp/x\n", StandardOpenOption.APPEND);
        assertTrue(unsafe());
    }

    @Test
    void twoSectionHeadersOnOneLineDoNotHideASetting() throws IOException {
        Files.writeString(lib.resolve(".git/config"), "[user][core]fsmonitor = \"touch /tmp/x\"\n", StandardOpenOption.APPEND);
        assertTrue(unsafe());
    }

    @Test
    void aByteOrderMarkDoesNotHideASetting() throws IOException {
        Path config = lib.resolve(".git/config");
        Files.write(config, ("\uFEFF[core]\n\tfsmonitor = x\n" + Files.readString(config)).getBytes(StandardCharsets.UTF_8));
        assertTrue(unsafe());
    }

    @Test
    void aLiveHookIsCaught() throws IOException {
        Files.writeString(lib.resolve(".git/hooks/post-index-change"), "#!/bin/sh\ntouch /tmp/x\n");
        assertTrue(unsafe());
    }

    @Test
    void aConfigThatIsALinkIsCaught() throws IOException {
        Files.move(lib.resolve(".git/config"), ws.resolve("evil.cfg"));
        Files.createSymbolicLink(lib.resolve(".git/config"), ws.resolve("evil.cfg"));
        assertTrue(unsafe());
    }

    @Test
    void aCommondirIsCaught() throws IOException {
        Files.writeString(lib.resolve(".git/commondir"), "../../x\n");
        assertTrue(unsafe());
    }

    @Test
    void aGitFileIntoTheProtectedModulesFolderIsTheUsualSubmoduleAndHarmless() throws IOException {
        Files.createDirectories(ws.resolve(".git/modules/sub"));
        Path sub = Files.createDirectories(ws.resolve("sub"));
        Files.writeString(sub.resolve(".git"), "gitdir: ../.git/modules/sub\n");
        assertTrue(EmbeddedRepositories.unsafe(ws, sub.resolve(".git")).isEmpty());
    }

    @Test
    void aGitFilePointingAnywhereElseIsCaught() throws IOException {
        Path sub = Files.createDirectories(ws.resolve("sub"));
        Files.writeString(sub.resolve(".git"), "gitdir: ../lib/.git\n");
        assertTrue(EmbeddedRepositories.unsafe(ws, sub.resolve(".git")).isPresent());
    }
}

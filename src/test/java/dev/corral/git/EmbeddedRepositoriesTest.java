package dev.corral.git;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedRepositoriesTest {
    @TempDir
    Path ws;

    @Test
    void aPlainConfigFromGitInitOrCloneRunsNothing() {
        String config = """
                [core]
                \trepositoryformatversion = 0
                \tfilemode = true
                \tbare = false
                [remote "origin"]
                \turl = https://example.com/toolkit-exec-cmd.git
                \tfetch = +refs/heads/*:refs/remotes/origin/*
                [branch "main"]
                \tremote = origin
                \tmerge = refs/heads/main
                """;
        assertEquals(List.of(), EmbeddedRepositories.riskySettings(config));
    }

    @Test
    void settingsThatRunProgramsAreFound() {
        String config = """
                [core]
                \tfsmonitor = touch /tmp/x
                \tsshCommand = evil
                [include]
                \tpath = ../x
                [diff "d"]
                \ttextconv = evil
                [alias]
                \tst = !evil
                [core] hooksPath = h
                """;
        assertEquals(List.of("core.fsmonitor", "core.sshcommand", "include.path", "diff.textconv", "alias.st", "core.hookspath"),
                EmbeddedRepositories.riskySettings(config));
    }

    @Test
    void aGitFileIntoTheProtectedModulesFolderIsTheUsualSubmoduleAndSafe() throws IOException {
        Files.createDirectories(ws.resolve(".git/modules/lib"));
        Files.createDirectories(ws.resolve("lib"));
        Files.writeString(ws.resolve("lib/.git"), "gitdir: ../.git/modules/lib\n");

        assertTrue(EmbeddedRepositories.unsafe(ws.toRealPath(), ws.toRealPath().resolve("lib/.git")).isEmpty());
    }

    @Test
    void aGitFilePointingAnywhereElseIsUnsafe() throws IOException {
        Files.createDirectories(ws.resolve("elsewhere"));
        Files.createDirectories(ws.resolve("lib"));
        Files.writeString(ws.resolve("lib/.git"), "gitdir: ../elsewhere\n");

        assertTrue(EmbeddedRepositories.unsafe(ws, ws.resolve("lib/.git")).isPresent());
    }

    @Test
    void aConfigThatIsALinkIsUnsafe() throws IOException {
        Files.createDirectories(ws.resolve("lib/.git"));
        Files.writeString(ws.resolve("evil.cfg"), "[core]\n");
        Files.createSymbolicLink(ws.resolve("lib/.git/config"), ws.resolve("evil.cfg"));

        assertTrue(EmbeddedRepositories.unsafe(ws, ws.resolve("lib/.git")).isPresent());
    }

    @Test
    void aCommondirMakesItUnsafe() throws IOException {
        Files.createDirectories(ws.resolve("lib/.git"));
        Files.writeString(ws.resolve("lib/.git/config"), "[core]\n");
        Files.writeString(ws.resolve("lib/.git/commondir"), "../../x\n");

        assertTrue(EmbeddedRepositories.unsafe(ws, ws.resolve("lib/.git")).isPresent());
    }
}

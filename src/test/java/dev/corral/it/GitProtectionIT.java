package dev.corral.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.corral.it.Attacks.blocked;
import static dev.corral.it.Attacks.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on what the host runs later without asking: git hooks, git configuration (fsmonitor,
 * hooksPath), the git metadata that decides which configuration applies, and editor start-up
 * files. Each attack plants a payload that touches a marker on the host; after the sandbox is
 * gone, the host's own {@code git status} and {@code git commit} must not run it.
 */
class GitProtectionIT {
    private static final String MARKER_NAME = "host-ran-planted-code";

    /**
     * Sets up payloads inside the sandbox: {@code /tmp/payload} (private) and
     * {@code evil-hooks/} in the workspace (visible to the host), each touching {@code $MARKER}.
     */
    private static final String PAYLOAD = """
            cat > /tmp/payload <<EOF
            #!/bin/sh
            touch "$MARKER"
            EOF
            chmod +x /tmp/payload
            mkdir -p evil-hooks
            for hook in pre-commit commit-msg post-commit post-checkout fsmonitor; do cp /tmp/payload evil-hooks/$hook; done
            """;

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void ordinaryGitWorkInsideTheSandboxReachesTheHostRepository(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            Attacks.ran(corral, Map.of(), """
                    set -e
                    git checkout -q -b feature
                    echo "changed in the sandbox" >> README.md
                    git add README.md
                    git commit -q -m "made in the sandbox"
                    git checkout -q main
                    git branch -q another
                    git merge -q --ff-only feature
                    git status --short
                    """);
            assertTrue(corral.host("git", "log", "--format=%s", "main").stdout().contains("made in the sandbox"));
            String branches = corral.host("git", "branch", "--format=%(refname:short)").stdout();
            assertTrue(branches.contains("feature") && branches.contains("another"), branches);
            assertEquals("", corral.host("git", "status", "--porcelain").stdout());
            assertFalse(Files.exists(corral.workspace().resolve(".git/index.lock")));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void hooksCannotBeWrittenDirectly(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            attack(corral, """
                    attempt 'cp /tmp/payload .git/hooks/pre-commit'
                    attempt 'cp /tmp/payload .git/hooks/post-checkout'
                    attempt 'chmod +x .git/hooks/pre-commit.sample'
                    attempt 'rm .git/hooks/pre-commit.sample'
                    """);
            assertFalse(Files.exists(corral.workspace().resolve(".git/hooks/pre-commit")));
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void configCannotBeEditedDirectly(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            String config = read(corral.workspace().resolve(".git/config"));
            attack(corral, """
                    attempt 'echo "[core] hooksPath = $PWD/evil-hooks" >> .git/config'
                    attempt 'cp .git/config .git/config.new && echo "[core] fsmonitor = $PWD/evil-hooks/fsmonitor" >> .git/config.new && mv -f .git/config.new .git/config'
                    attempt 'cp .git/config /tmp/config && echo "[core] fsmonitor = $PWD/evil-hooks/fsmonitor" >> /tmp/config && cp /tmp/config .git/config'
                    attempt 'truncate -s 0 .git/config'
                    attempt 'rm -f .git/config'
                    """);
            assertEquals(config, read(corral.workspace().resolve(".git/config")));
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void gitConfigCannotSetFsmonitorHooksPathOrSshCommand(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            attack(corral, """
                    attempt 'git config core.fsmonitor "$PWD/evil-hooks/fsmonitor"'
                    attempt 'git config core.hooksPath "$PWD/evil-hooks"'
                    attempt 'git config core.sshCommand "$PWD/evil-hooks/fsmonitor"'
                    attempt 'git config --local alias.st "!$PWD/evil-hooks/fsmonitor"'
                    """);
            String local = corral.host("git", "config", "--local", "--list").stdout();
            assertFalse(local.contains("evil-hooks"), local);
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void hooksAndConfigCannotBeRedirectedThroughSymlinks(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            attack(corral, """
                    cp .git/config evil-config
                    git config -f evil-config core.hooksPath "$PWD/evil-hooks"
                    attempt 'ln -sf "$PWD/evil-hooks/pre-commit" .git/hooks/pre-commit'
                    attempt 'rm -rf .git/hooks && ln -s ../evil-hooks .git/hooks'
                    attempt 'ln -sf ../evil-config .git/config'
                    attempt 'ln -s ../evil-config .git/config.tmp && mv -f .git/config.tmp .git/config'
                    """);
            assertFalse(Files.isSymbolicLink(corral.workspace().resolve(".git/config")));
            assertFalse(Files.isSymbolicLink(corral.workspace().resolve(".git/hooks")));
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void dotGitCannotBeRenamedAndRecreated(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            attack(corral, """
                    attempt 'mv .git .git-old'
                    if [ -d .git-old ]; then
                      mkdir .git && cp -r .git-old/. .git/ && cp /tmp/payload .git/hooks/pre-commit
                      git config core.hooksPath "$PWD/evil-hooks"
                    fi
                    """);
            assertFalse(Files.exists(corral.workspace().resolve(".git-old")), ".git was renamed on the host");
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    /**
     * A branch sandbox of this repository mounts its object folder read-only: were it swapped for a
     * link while that sandbox's mounts are made, the mount would follow the link anywhere.
     */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theObjectFolderCannotBeSwappedForALink(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            corral.writeWorkspaceFile("swap.py", """
                    import ctypes, os, sys
                    libc = ctypes.CDLL(None, use_errno=True)
                    os.symlink('/etc', '.git/swap')
                    # RENAME_EXCHANGE: the folder and the link trade places in one step
                    sys.exit(0 if libc.renameat2(-100, b'.git/objects', -100, b'.git/swap', 2) == 0 else 1)
                    """);
            Attacks.blocked(corral, """
                    attempt 'mv .git/objects .git/objects-old'
                    attempt 'python3 swap.py'
                    """);
            assertTrue(Files.isDirectory(corral.workspace().resolve(".git/objects"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
                    "the object folder is still a folder");
            assertFalse(Files.exists(corral.workspace().resolve(".git/objects-old")));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void hooksFolderAndConfigCannotBeRenamedAndRecreated(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            attack(corral, """
                    attempt 'mv .git/hooks .git/hooks-old'
                    if [ -d .git/hooks-old ]; then mkdir .git/hooks && cp /tmp/payload .git/hooks/pre-commit; fi
                    attempt 'mv .git/config .git/config-old'
                    if [ -f .git/config-old ]; then
                      cp .git/config-old .git/config && echo "[core] hooksPath = $PWD/evil-hooks" >> .git/config
                    fi
                    """);
            assertFalse(Files.exists(corral.workspace().resolve(".git/hooks-old")));
            assertFalse(Files.exists(corral.workspace().resolve(".git/config-old")));
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void hooksStayProtectedWhenTheRepositoryHadNoHooksFolder(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            CorralHarness.run("rm", "-rf", corral.workspace().resolve(".git/hooks").toString());
            attack(corral, """
                    attempt 'mkdir -p .git/hooks && cp /tmp/payload .git/hooks/pre-commit'
                    attempt 'rmdir .git/hooks && mkdir .git/hooks && cp /tmp/payload .git/hooks/pre-commit'
                    attempt 'rmdir .git/hooks && ln -s ../evil-hooks .git/hooks'
                    """);
            assertFalse(Files.exists(corral.workspace().resolve(".git/hooks/pre-commit")));
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aHooksPathFolderInTheWorkspaceIsReadOnly(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            corral.writeWorkspaceFile(".husky/pre-commit", "#!/bin/sh\nexit 0\n");
            corral.writeWorkspaceFile(".husky/_/husky.sh", "# husky 8\n");
            hostGit(corral, "config", "core.hooksPath", ".husky");
            hostGit(corral, "add", ".husky");
            hostGit(corral, "commit", "-q", "-m", "husky");
            attack(corral, """
                    attempt 'cp /tmp/payload .husky/pre-commit'
                    attempt 'cp /tmp/payload .husky/post-commit'
                    attempt 'cp /tmp/payload .husky/_/husky.sh'
                    attempt 'mv .husky .husky-old && mkdir .husky && cp /tmp/payload .husky/pre-commit'
                    attempt 'mv .husky/_ .husky/_old'
                    """);
            assertEquals("#!/bin/sh\nexit 0\n", read(corral.workspace().resolve(".husky/pre-commit")));
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aHooksPathFolderThatDoesNotExistYetCannotBeCreated(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            hostGit(corral, "config", "core.hooksPath", ".githooks");
            attack(corral, """
                    attempt 'mkdir -p .githooks && cp /tmp/payload .githooks/pre-commit'
                    attempt 'cp /tmp/payload .githooks/pre-commit'
                    attempt 'rmdir .githooks && ln -s evil-hooks .githooks'
                    """);
            assertFalse(Files.exists(corral.workspace().resolve(".githooks")), "an empty .githooks was left behind or planted");
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    /**
     * Husky 9 sets {@code core.hooksPath=.husky/_}; its generated hooks there run the project's
     * scripts in {@code .husky/} (the parent), so those are what the host's commit executes.
     */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void scriptsThatProtectedHooksRunAreReadOnlyToo(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            corral.writeWorkspaceFile(".husky/_/h", """
                    #!/bin/sh
                    n=$(basename "$0")
                    s=$(dirname "$(dirname "$0")")/$n
                    [ ! -f "$s" ] && exit 0
                    sh -e "$s" "$@"
                    """);
            corral.writeWorkspaceFile(".husky/_/pre-commit", "#!/bin/sh\n. \"$(dirname \"$0\")/h\"\n");
            corral.writeWorkspaceFile(".husky/pre-commit", "exit 0\n");
            CorralHarness.run("chmod", "+x", corral.workspace().resolve(".husky/_/h").toString(),
                    corral.workspace().resolve(".husky/_/pre-commit").toString());
            hostGit(corral, "config", "core.hooksPath", ".husky/_");
            hostGit(corral, "add", ".husky");
            hostGit(corral, "commit", "-q", "-m", "husky 9");
            attack(corral, """
                    attempt 'cp /tmp/payload .husky/pre-commit'
                    """);
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void gitMetadataCannotBeHardLinkedIntoTheWorkspace(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            String config = read(corral.workspace().resolve(".git/config"));
            attack(corral, """
                    attempt 'ln .git/config config-link'
                    attempt 'ln .git/hooks/pre-commit.sample hook-link'
                    if [ -f config-link ]; then echo "[core] hooksPath = $PWD/evil-hooks" >> config-link; fi
                    if [ -f hook-link ]; then cp /tmp/payload hook-link; fi
                    """);
            assertFalse(Files.exists(corral.workspace().resolve("config-link")));
            assertFalse(Files.exists(corral.workspace().resolve("hook-link")));
            assertEquals(config, read(corral.workspace().resolve(".git/config")));
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aFolderThatIsNotARepositoryCannotBecomeOne(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.writeWorkspaceFile("notes.txt", "not a repository\n");
            attack(corral, """
                    attempt 'git init -q && git config core.fsmonitor "$PWD/evil-hooks/fsmonitor"'
                    attempt 'touch .git/config'
                    attempt 'rmdir .git'
                    attempt 'mv .git .git-old'
                    attempt 'git init -q --separate-git-dir evil-gitdir . && git config core.fsmonitor "$PWD/evil-hooks/fsmonitor"'
                    """);
            assertFalse(Files.exists(corral.workspace().resolve(".git")), "a .git was left in a folder that was not a repository");
            CorralHarness.Result status = corral.host("git", "status");
            assertNotEquals(0, status.exit(), () -> "the folder became a git repository: " + status);
            assertMarkerAbsent(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aFolderThatIsNotARepositoryCannotBecomeABareRepository(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.writeWorkspaceFile("notes.txt", "not a repository\n");
            attack(corral, """
                    git init -q --bare .
                    git config core.bare false
                    git config core.worktree "$PWD"
                    git config core.fsmonitor "$PWD/evil-hooks/fsmonitor"
                    """);
            corral.host("git", "status");
            assertMarkerAbsent(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void commondirCannotRedirectTheRepositoryToPlantedConfig(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            attack(corral, """
                    mkdir evil-common
                    cp -r .git/objects .git/refs .git/HEAD evil-common/
                    cp .git/config evil-common/config
                    git config -f evil-common/config core.hooksPath "$PWD/evil-hooks"
                    git config -f evil-common/config core.fsmonitor "$PWD/evil-hooks/fsmonitor"
                    attempt 'echo ../evil-common > .git/commondir'
                    """);
            assertFalse(Files.exists(corral.workspace().resolve(".git/commondir")), ".git/commondir was planted");
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aNestedRepositoryCannotPlantAnFsmonitorForTheHostsGitStatus(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            attack(corral, """
                    workspace=$PWD
                    mkdir -p vendor/lib && cd vendor/lib
                    git init -q -b main
                    git -c user.email=agent@example.com -c user.name=Agent commit -q --allow-empty -m lib
                    git config core.fsmonitor "$workspace/evil-hooks/fsmonitor"
                    cd "$workspace"
                    git add vendor/lib 2>/dev/null
                    git commit -q -m "vendor a library"
                    """);
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aNestedRepositoryWhoseConfigIsALinkCannotPlantAnFsmonitor(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            attack(corral, """
                    workspace=$PWD
                    mkdir -p vendor/lib && cd vendor/lib
                    git init -q -b main
                    git -c user.email=agent@example.com -c user.name=Agent commit -q --allow-empty -m lib
                    cp .git/config "$workspace/evil.cfg"
                    printf '[core]\\n\\tfsmonitor = %s\\n' "$workspace/evil-hooks/fsmonitor" >> "$workspace/evil.cfg"
                    ln -sf ../../../evil.cfg .git/config
                    cd "$workspace"
                    git add vendor/lib evil.cfg 2>/dev/null
                    git commit -q -m "vendor a library"
                    """);
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aNestedRepositoryPreparedInAnEarlierRunIsCaughtWhenItIsRegistered(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            attack(corral, """
                    workspace=$PWD
                    mkdir -p vendor/lib && cd vendor/lib
                    git init -q -b main
                    git -c user.email=agent@example.com -c user.name=Agent commit -q --allow-empty -m lib
                    git config core.fsmonitor "$workspace/evil-hooks/fsmonitor"
                    """);
            attack(corral, """
                    git add vendor/lib 2>/dev/null
                    git commit -q -m "vendor a library"
                    """);
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aNestedRepositoryWhoseGitDirIsOutsideTheWorkspaceCannotPlantAnFsmonitor(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            attack(corral, """
                    workspace=$PWD
                    mkdir -p vendor/lib && cd vendor/lib
                    git init -q -b main --separate-git-dir "$HOME/lib.git"
                    git -c user.email=agent@example.com -c user.name=Agent commit -q --allow-empty -m lib
                    git config core.fsmonitor "$workspace/evil-hooks/fsmonitor"
                    cd "$workspace"
                    git add vendor/lib 2>/dev/null
                    git commit -q -m "vendor a library"
                    home=$(sed -n 's|.* \\(/[^ ]*/sandboxes/[^/]*/home\\) .*|\\1|p' /proc/self/mountinfo | head -1)
                    [ -n "$home" ] && echo "gitdir: $home/lib.git" > vendor/lib/.git
                    """);
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aNestedRepositoryRegisteredInALinkedWorktreesIndexCannotPlantAnFsmonitor(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            hostGit(corral, "worktree", "add", "-q", "-b", "side", "wt");
            attack(corral, """
                    workspace=$PWD
                    cd wt
                    mkdir -p plain && cd plain
                    git init -q -b main
                    git -c user.email=agent@example.com -c user.name=Agent commit -q --allow-empty -m lib
                    git config core.fsmonitor "$workspace/evil-hooks/fsmonitor"
                    cd ..
                    git add plain 2>/dev/null
                    git -c user.email=agent@example.com -c user.name=Agent commit -q -m "vendor"
                    """);
            assertHostGitRunsNothingPlanted(corral, corral.workspace().resolve("wt"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void submoduleGitdirsUnderDotGitModulesAreProtected(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            Path upstream = corral.root().resolve("upstream-lib");
            hostGit(corral, "init", "-q", "-b", "main", upstream.toString());
            hostGit(corral, "-C", upstream.toString(), "-c", "user.email=t@example.com", "-c", "user.name=T", "commit", "-q", "--allow-empty", "-m", "lib");
            hostGit(corral, "-c", "protocol.file.allow=always", "submodule", "add", "-q", upstream.toString(), "lib");
            hostGit(corral, "commit", "-q", "-m", "add lib");
            assertTrue(Files.isDirectory(corral.workspace().resolve(".git/modules/lib/hooks")));
            attack(corral, """
                    attempt 'cp /tmp/payload .git/modules/lib/hooks/pre-commit'
                    attempt 'git -C lib config core.fsmonitor "$PWD/evil-hooks/fsmonitor"'
                    attempt 'echo "[core] hooksPath = $PWD/evil-hooks" >> .git/modules/lib/config'
                    attempt 'mv .git/modules/lib .git/modules/lib-old'
                    attempt 'mv .git/modules .git/modules-old'
                    """);
            assertHostGitRunsNothingPlanted(corral, corral.workspace().resolve("lib"));
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aDotGitFileAndTheGitdirItNamesAreProtected(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.writeWorkspaceFile("README.md", "hello\n");
            hostGit(corral, "init", "-q", "-b", "main", "--separate-git-dir", corral.workspace().resolve(".repo").toString());
            hostGit(corral, "config", "user.email", "test@example.com");
            hostGit(corral, "config", "user.name", "Test");
            hostGit(corral, "add", ".");
            hostGit(corral, "commit", "-q", "-m", "initial");
            String dotGit = read(corral.workspace().resolve(".git"));
            attack(corral, """
                    cp -r .repo evil-gitdir
                    git config -f evil-gitdir/config core.hooksPath "$PWD/evil-hooks"
                    attempt 'cp /tmp/payload .repo/hooks/pre-commit'
                    attempt 'git config core.fsmonitor "$PWD/evil-hooks/fsmonitor"'
                    attempt 'echo "gitdir: evil-gitdir" > .git'
                    attempt 'mv .repo .repo-old && mv evil-gitdir .repo'
                    attempt 'rm .git && echo "gitdir: evil-gitdir" > .git'
                    """);
            assertEquals(dotGit, read(corral.workspace().resolve(".git")));
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aHooksPathFromTheUsersGlobalGitConfigIsProtected(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            Attacks.plant(corral, corral.home().resolve(".gitconfig"), "[core]\n\thooksPath = .githooks\n");
            attack(corral, """
                    attempt 'mkdir -p .githooks && cp /tmp/payload .githooks/pre-commit'
                    """);
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void filesTheRepositoryConfigIncludesAreReadOnly(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            corral.writeWorkspaceFile(".gitconfig", "[alias]\n\tst = status\n");
            hostGit(corral, "config", "--local", "include.path", "../.gitconfig");
            hostGit(corral, "add", ".gitconfig");
            hostGit(corral, "commit", "-q", "-m", "shared repository settings");
            attack(corral, """
                    attempt 'echo "[core] fsmonitor = $PWD/evil-hooks/fsmonitor" >> .gitconfig'
                    attempt 'cp .gitconfig /tmp/c && echo "[core] hooksPath = $PWD/evil-hooks" >> /tmp/c && rm .gitconfig && cp /tmp/c .gitconfig'
                    """);
            assertEquals("[alias]\n\tst = status\n", read(corral.workspace().resolve(".gitconfig")));
            assertHostGitRunsNothingPlanted(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aLinkedWorktreesMetadataCannotRedirectItToPlantedConfig(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            Path worktree = corral.root().resolve("feature-worktree");
            hostGit(corral, "worktree", "add", "-q", "-b", "feature", worktree.toString());
            attack(corral, """
                    mkdir evil-common
                    cp -r .git/objects .git/refs .git/HEAD evil-common/
                    cp .git/config evil-common/config
                    git config -f evil-common/config core.hooksPath "$PWD/evil-hooks"
                    git config -f evil-common/config core.fsmonitor "$PWD/evil-hooks/fsmonitor"
                    attempt 'echo "$PWD/evil-common" > .git/worktrees/feature-worktree/commondir'
                    """);
            assertHostGitRunsNothingPlanted(corral, worktree);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void existingEditorAndShellStartupFilesAreReadOnly(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            Map<String, String> files = Map.of(
                    ".vscode/settings.json", "{}\n",
                    ".envrc", "export PROJECT=1\n",
                    ".idea/workspace.xml", "<project/>\n",
                    ".devcontainer/devcontainer.json", "{\"image\": \"debian\"}\n");
            files.forEach(corral::writeWorkspaceFile);
            attack(corral, """
                    attempt 'echo "{\\"terminal.integrated.env.linux\\": {\\"PATH\\": \\"$PWD/evil-hooks\\"}}" > .vscode/settings.json'
                    attempt 'echo "{\\"tasks\\": [{\\"runOptions\\": {\\"runOn\\": \\"folderOpen\\"}}]}" > .vscode/tasks.json'
                    attempt 'echo "$PWD/evil-hooks/fsmonitor" >> .envrc'
                    attempt 'echo "<evil/>" > .idea/workspace.xml'
                    attempt 'echo "{}" > .devcontainer/devcontainer.json'
                    attempt 'mv .vscode .vscode-old && mkdir .vscode && echo "{}" > .vscode/settings.json'
                    attempt 'rm -rf .idea'
                    attempt 'mv .envrc .envrc-old'
                    """);
            files.forEach((name, content) -> assertEquals(content, read(corral.workspace().resolve(name)), name));
            for (String planted : List.of(".vscode/tasks.json", ".vscode-old", ".envrc-old")) {
                assertFalse(Files.exists(corral.workspace().resolve(planted)), planted);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void editorSettingsCannotBeCreatedWhereThereWereNone(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.writeWorkspaceFile("main.py", "print('hello')\n");
            attack(corral, """
                    attempt 'mkdir -p .vscode && echo "{\\"python.defaultInterpreterPath\\": \\"$PWD/evil-hooks/fsmonitor\\"}" > .vscode/settings.json'
                    attempt 'mkdir -p .vscode && echo "{\\"tasks\\": [{\\"runOptions\\": {\\"runOn\\": \\"folderOpen\\"}}]}" > .vscode/tasks.json'
                    """);
            assertFalse(Files.exists(corral.workspace().resolve(".vscode")), "the sandbox created editor settings the host's editor obeys");
        }
    }

    /** Runs the attack script after setting up the payloads; nothing in it may get through. */
    private static void attack(CorralHarness corral, String script) {
        blocked(corral, Map.of("MARKER", marker(corral).toString()), PAYLOAD + script);
    }

    private static Path marker(CorralHarness corral) {
        return corral.root().resolve(MARKER_NAME);
    }

    /** The host's next {@code git status} and {@code git commit} in the workspace run nothing the sandbox planted. */
    private static void assertHostGitRunsNothingPlanted(CorralHarness corral) {
        assertHostGitRunsNothingPlanted(corral, corral.workspace());
    }

    /** As above, in the given working tree (the workspace, a submodule, a linked worktree). */
    private static void assertHostGitRunsNothingPlanted(CorralHarness corral, Path workTree) {
        assertMarkerAbsent(corral);
        String dir = workTree.toString();
        CorralHarness.Result status = corral.host("git", "-C", dir, "status");
        CorralHarness.Result commit = corral.host("git", "-C", dir, "-c", "user.email=host@example.com", "-c", "user.name=Host",
                "commit", "-q", "--allow-empty", "-m", "the host commits after the sandbox");
        assertFalse(Files.exists(marker(corral)), () -> "the host's git ran code the sandbox planted\n--- git status\n"
                + status + "\n--- git commit\n" + commit);
        assertEquals(0, commit.exit(), () -> "the host's commit did not run, so it proves nothing: " + commit);
    }

    private static void assertMarkerAbsent(CorralHarness corral) {
        assertFalse(Files.exists(marker(corral)), "the host ran code the sandbox planted");
    }

    private static void hostGit(CorralHarness corral, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        CorralHarness.Result r = corral.host(command);
        assertEquals(0, r.exit(), () -> "test setup: git " + String.join(" ", args) + " failed: " + r);
    }
}

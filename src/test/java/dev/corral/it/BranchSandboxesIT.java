package dev.corral.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several agents on one repository at once ({@code run --branch}): each sandbox works in a
 * checkout of its own on its own branch, the user's checkout is not even visible, and the user
 * takes the work from the host with {@code diff}, {@code merge}, {@code apply} and {@code rm} —
 * without anything an agent wrote into its git metadata ever running on the host.
 */
class BranchSandboxesIT {
    private static final String COMMIT = "git add -A && git commit -qm \"$1\"";

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void sandboxesCommitOnTheirOwnBranchesAtOnceWithoutSeeingEachOtherOrTheUser(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            String head = git(corral, "rev-parse", "HEAD");
            CorralHarness.Result a = corral.corral("run", "-d", "--branch", "feat-a", "--", "sh", "-c",
                    "echo A > a.txt && " + COMMIT.replace("$1", "add a") + " && echo committed; exec sleep 600");
            CorralHarness.Result b = corral.corral("run", "-d", "--branch", "auto", "--", "sh", "-c",
                    "echo B > b.txt && " + COMMIT.replace("$1", "add b") + " && echo committed; exec sleep 600");
            assertEquals(0, a.exit(), a::toString);
            assertEquals(0, b.exit(), b::toString);
            String nameA = a.stdout().strip();
            String nameB = b.stdout().strip();
            assertEquals("shell-project-feat-a", nameA);
            assertTrue(nameB.matches("shell-project-[0-9a-f]{4}"), nameB);
            DetachedSandboxIT.awaitLog(corral, nameA, "committed");
            DetachedSandboxIT.awaitLog(corral, nameB, "committed");
            Map<String, Object> listedA = DetachedSandboxIT.sandbox(corral, nameA);
            Path checkoutA = Path.of((String) listedA.get("workspace"));
            Path checkoutB = Path.of((String) DetachedSandboxIT.sandbox(corral, nameB).get("workspace"));

            CorralHarness.Result inside = corral.corral("exec", nameA, "--", "sh", "-c",
                    "pwd; git log --format=%s -1; git status --porcelain | wc -l; ls " + corral.workspace() + "/README.md; ls "
                            + checkoutB + "; ls " + corral.home().resolve(".local/share/corral") + "; echo end");

            assertEquals(checkoutA + "\nadd a\n0\nend\n", inside.stdout(),
                    "its own checkout, its own commit, nothing of the user's checkout, the other sandbox or Corral: " + inside);
            assertEquals(head, git(corral, "rev-parse", "HEAD"), "the user's branch did not move");
            assertFalse(Files.exists(corral.workspace().resolve("a.txt")), "the user's checkout is untouched");
            CorralHarness.Result ls = corral.corral("ls");
            assertTrue(ls.stdout().lines().anyMatch(l -> l.startsWith(nameA + " ") && l.matches(".* feat-a +running +\\S+ +1 .*")),
                    "branch, status and one changed file: " + ls);

            CorralHarness.Result diff = corral.corral("diff", nameA);

            assertEquals(0, diff.exit(), diff::toString);
            assertTrue(diff.stdout().contains("+++ b/a.txt") && diff.stdout().contains("+A"), diff::toString);
            assertFalse(diff.stdout().contains("b.txt"), "only its own work: " + diff);
            assertTrue(diff.stderr().contains("1 commit, 1 file changed"), diff::toString);
            assertEquals(head, git(corral, "rev-parse", "feat-a"), "the branch is in the user's repository, from HEAD");
            CorralHarness.Result running = corral.corral("merge", nameA);
            assertEquals(125, running.exit(), "a running sandbox's commits are not taken while it could change them: " + running);
            assertTrue(running.stderr().contains("is running"), running::toString);

            assertEquals(0, corral.corral("stop", nameA).exit());
            assertEquals("add a", git(corral, "log", "--format=%s", "-1", "feat-a"), "stopping brought its commits into the branch");
            CorralHarness.Result merge = corral.corral("merge", nameA);

            assertEquals(0, merge.exit(), merge::toString);
            assertEquals("add a", git(corral, "log", "--format=%s", "-1", "feat-a"), "the branch has the sandbox's commit");
            assertEquals("A\n", read(corral.workspace().resolve("a.txt")), "merged into the user's branch");
            assertFalse(Files.exists(corral.workspace().resolve("b.txt")), "only its own work");
            assertTrue(Files.isDirectory(checkoutB), "the other checkout is still there");
            assertEquals("running", DetachedSandboxIT.sandbox(corral, nameB).get("status"), "the other sandbox runs on");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void mergeTakesCleanWorkAndRefusesAConflictWithoutTouchingTheUsersCheckout(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            assertEquals(0, corral.corral("run", "--branch", "clean", "--", "sh", "-c",
                    "echo new > new.txt && mkdir -p src && echo x > src/x.txt && " + COMMIT.replace("$1", "clean work")).exit());
            assertEquals(0, corral.corral("run", "--branch", "clash", "--", "sh", "-c",
                    "echo agent > README.md && " + COMMIT.replace("$1", "agent edit")).exit());
            corral.writeWorkspaceFile("README.md", "user\n");
            assertEquals("", git(corral, "commit", "-qam", "user edit"));
            corral.writeWorkspaceFile("notes.txt", "uncommitted, untracked\n");
            String head = git(corral, "rev-parse", "HEAD");

            CorralHarness.Result clash = corral.corral("merge", "shell-project-clash");

            assertEquals(125, clash.exit(), clash::toString);
            assertEquals(1, clash.stderr().lines().count(), "one line: " + clash);
            assertTrue(clash.stderr().contains("conflict") && clash.stderr().contains("README.md"), clash::toString);
            assertEquals(head, git(corral, "rev-parse", "HEAD"));
            assertEquals("?? notes.txt", git(corral, "status", "--porcelain"), "nothing half-merged");
            assertFalse(Files.exists(corral.workspace().resolve(".git/MERGE_HEAD")));

            CorralHarness.Result clean = corral.corral("merge", "shell-project-clean");

            assertEquals(0, clean.exit(), clean::toString);
            assertEquals("new\n", read(corral.workspace().resolve("new.txt")));
            assertEquals("x\n", read(corral.workspace().resolve("src/x.txt")));
            assertEquals("user\n", read(corral.workspace().resolve("README.md")));
            assertEquals("0", git(corral, "rev-list", "--count", "HEAD..clean"), "the branch is merged");
            assertEquals("?? notes.txt", git(corral, "status", "--porcelain"));

            CorralHarness.Result rm = corral.corral("rm", "shell-project-clean");

            assertEquals(0, rm.exit(), rm::toString);
            assertEquals("", git(corral, "branch", "--list", "clean"), "a merged branch goes with its sandbox");
            CorralHarness.Result keep = corral.corral("rm", "shell-project-clash");
            assertEquals(0, keep.exit(), keep::toString);
            assertTrue(keep.stderr().contains("kept branch clash"), keep::toString);
            assertEquals("clash", git(corral, "branch", "--list", "--format=%(refname:short)", "clash"), "an unmerged branch stays");
            assertEquals("agent edit", git(corral, "log", "--format=%s", "-1", "clash"), "with the sandbox's commit");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void applyTakesCommittedAndUncommittedWorkAsUncommittedChanges(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            assertEquals(0, corral.corral("run", "--branch", "wip", "--", "sh", "-c",
                    "echo done > done.txt && " + COMMIT.replace("$1", "done") + " && echo draft > draft.txt && echo more >> README.md").exit());
            String head = git(corral, "rev-parse", "HEAD");

            CorralHarness.Result rmRefused = corral.corral("rm", "shell-project-wip");
            assertEquals(125, rmRefused.exit(), "uncommitted work is not thrown away without -f: " + rmRefused);
            CorralHarness.Result apply = corral.corral("apply", "shell-project-wip");

            assertEquals(0, apply.exit(), apply::toString);
            assertEquals(head, git(corral, "rev-parse", "HEAD"), "nothing committed");
            assertEquals("done\n", read(corral.workspace().resolve("done.txt")));
            assertEquals("draft\n", read(corral.workspace().resolve("draft.txt")));
            assertEquals("hello\nmore\n", read(corral.workspace().resolve("README.md")));
            String status = git(corral, "status", "--porcelain");
            assertTrue(status.contains("done.txt") && status.contains("draft.txt") && status.contains("README.md"), status);
            assertEquals(0, corral.corral("rm", "-f", "shell-project-wip").exit());
            assertEquals("", git(corral, "branch", "--list", "wip"), "rm -f drops the unmerged branch");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void nothingTheAgentWritesInItsGitMetadataRunsOnTheHost(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            Path marker = corral.root().resolve("host-ran-agent-code");
            String payload = "#!/bin/sh\ntouch " + marker + "\n";
            String objects = corral.workspace().resolve(".git/objects").toString();
            CorralHarness.Result attack = corral.corral("run", "--branch", "evil", "--", "sh", "-c", String.join("; ",
                    "printf '" + payload.replace("\n", "\\n") + "' > /tmp/hook; chmod +x /tmp/hook",
                    "for h in post-commit post-merge post-checkout pre-commit reference-transaction; do cp /tmp/hook .git/hooks/$h 2>/dev/null && echo wrote-$h; done",
                    "git config core.fsmonitor /tmp/hook 2>/dev/null && echo wrote-config",
                    "git config core.hooksPath /tmp 2>/dev/null && echo wrote-hookspath",
                    "echo /tmp > .git/objects/info/alternates 2>/dev/null && echo wrote-alternates",
                    "touch " + objects + "/planted 2>/dev/null && echo wrote-user-objects",
                    "rm -rf " + objects + "/pack 2>/dev/null; ls " + objects + "/pack >/dev/null 2>&1 || echo deleted-user-pack",
                    "mkdir -p inner && git -C inner init -q && git -C inner config core.fsmonitor /tmp/hook && echo i > inner/f"
                            + " && git -C inner add f && git -C inner -c user.name=a -c user.email=a@b commit -qm i && git add inner",
                    "echo change > change.txt",
                    COMMIT.replace("$1", "evil")));
            assertEquals(0, attack.exit(), attack::toString);
            assertFalse(attack.stdout().contains("wrote-"), "hooks, config and alternates are read-only: " + attack);
            assertFalse(attack.stdout().contains("deleted-user-pack"), attack::toString);

            for (String[] command : new String[][]{{"ls"}, {"diff", "shell-project-evil"}, {"diff", "--stat", "shell-project-evil"},
                    {"merge", "shell-project-evil"}, {"rm", "-f", "shell-project-evil"}}) {
                corral.corral(command);
                assertFalse(Files.exists(marker), "corral " + String.join(" ", command) + " ran the agent's code");
            }
            assertEquals("", git(corral, "status", "--porcelain"));
            git(corral, "log", "-1");
            assertFalse(Files.exists(marker), "the user's own git doesn't either");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void lsWhileSandboxesRunObeysNothingTheyWroteAndStaysQuick(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.gitInit();
            Path marker = corral.root().resolve("ls-ran-agent-code");
            // a plain workspace: an embedded repository whose clean filter a `git status` entering it would run
            String nested = String.join(" && ", "mkdir sub", "cd sub", "git init -q", "printf '* filter=x\\n' > .gitattributes",
                    "echo aaaa > f", "git add .", "git -c user.name=a -c user.email=a@b commit -qm s",
                    "git config filter.x.clean 'sh -c \"touch " + marker + "; cat\"'", "echo bbbb > f", "cd ..", "git add sub",
                    "echo planted");
            assertEquals(0, corral.corral("run", "-d", "--name", "plain", "--", "sh", "-c", nested + "; exec sleep 600").exit());
            // a branch sandbox: a file far too big to read
            assertEquals(0, corral.corral("run", "-d", "--branch", "big", "--", "sh", "-c",
                    "truncate -s 300G huge && echo made; exec sleep 600").exit());
            DetachedSandboxIT.awaitLog(corral, "plain", "planted");
            DetachedSandboxIT.awaitLog(corral, "shell-project-big", "made");

            long start = System.nanoTime();
            CorralHarness.Result ls = corral.corral("ls");
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;

            assertEquals(0, ls.exit(), ls::toString);
            assertTrue(seconds < 20, "ls took " + seconds + " s");
            assertTrue(ls.stdout().lines().anyMatch(l -> l.startsWith("shell-project-big ") && l.matches(".* big +running +\\S+ +1 .*")),
                    "the huge file counts as one change: " + ls);
            assertFalse(Files.exists(marker), "ls ran a filter the sandbox configured");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--upload-pack=touch x", "-x", "a..b", "../../etc", "a b", "x.lock", "HEAD", "feat/", ".hidden", "a//b", "a@{1}"})
    void aBranchNameGitCouldMisreadIsRefused(String branch) {
        try (CorralHarness corral = new CorralHarness(Invoker.ROOT)) {
            corral.gitInit();

            CorralHarness.Result run = corral.corral("run", "--branch=" + branch, "--", "true");

            assertEquals(125, run.exit(), run::toString);
            assertEquals(1, run.stderr().lines().count(), run::toString);
            assertEquals("main\n", corral.host("git", "branch", "--format=%(refname:short)").stdout(), "no branch was made");
            assertEquals("", corral.corral("ls", "--json").stdout().replaceAll("\\s", "").replace("[]", ""), "no sandbox was made");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aBranchNeedsARepositoryWithACommit(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result run = corral.corral("run", "--branch", "x", "--", "true");

            assertEquals(125, run.exit(), run::toString);
            assertEquals(1, run.stderr().lines().count(), run::toString);
            assertTrue(run.stderr().contains("git repository"), run::toString);
        }
    }

    private static String git(CorralHarness corral, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        CorralHarness.Result result = corral.host(command);
        assertEquals(0, result.exit(), () -> String.join(" ", command) + ": " + result);
        return result.stdout().strip();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

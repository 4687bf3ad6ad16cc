package dev.corral.git;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The user's git identity, from git's own output and from a real global config in a temporary home. */
class GitIdentityTest {
    private static final Map<String, String> ADA = Map.of("GIT_AUTHOR_NAME", "Ada Lovelace", "GIT_COMMITTER_NAME", "Ada Lovelace",
            "GIT_AUTHOR_EMAIL", "ada@example.com", "GIT_COMMITTER_EMAIL", "ada@example.com");

    @TempDir
    Path home;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    private void gitconfig(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    // --- parsing git's output

    @Test
    void nameAndEmailBecomeTheAuthorAndCommitter() {
        assertEquals(ADA, GitIdentity.parse("user.name Ada Lovelace\nuser.email ada@example.com\n"));
    }

    @Test
    void theLastValueOfAKeyWins() {
        Map<String, String> env = GitIdentity.parse("user.name First\nuser.email first@example.com\nuser.name Ada Lovelace\n"
                + "user.email ada@example.com");

        assertEquals(ADA, env);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ada\u001b[31mLovelace", "Ada\tLovelace", "Ada\rLovelace\r\ninjected", "Ada\u0000"})
    void aValueWithControlCharactersIsDroppedAndTheEarlierOneKept(String bad) {
        Map<String, String> env = GitIdentity.parse("user.name Ada Lovelace\nuser.email ada@example.com\nuser.name " + bad + "\n");

        assertEquals("Ada Lovelace", env.get("GIT_AUTHOR_NAME"));
        assertEquals("Ada Lovelace", env.get("GIT_COMMITTER_NAME"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "user.name\n", "user.name \n", "user.name    \n", "core.editor vim\n", "user.signingkey ABC\n",
            "user.names Ada\n", "nonsense"})
    void outputWithoutANameOrEmailGivesNoVariables(String output) {
        assertEquals(Map.of(), GitIdentity.parse(output));
    }

    @Test
    void onlyTheKnownPartsAreSet() {
        assertEquals(Map.of("GIT_AUTHOR_EMAIL", "ada@example.com", "GIT_COMMITTER_EMAIL", "ada@example.com"),
                GitIdentity.parse("user.email   ada@example.com  \r\n"));
        assertEquals(Map.of("GIT_AUTHOR_NAME", "Ada", "GIT_COMMITTER_NAME", "Ada"), GitIdentity.parse("user.name Ada"));
    }

    // --- asking the user's git

    @Test
    void theGlobalConfigInTheHomeIsRead() throws IOException {
        gitconfig(home.resolve(".gitconfig"), "[user]", "\tname = Ada Lovelace", "\temail = ada@example.com", "[core]", "\teditor = vim");

        assertEquals(ADA, GitIdentity.query(env()));
    }

    @Test
    void includesAreFollowedAndTheLastValueWins() throws IOException {
        gitconfig(home.resolve(".gitconfig"), "[user]", "\tname = Ada Lovelace", "\temail = old@example.com",
                "[include]", "\tpath = work.gitconfig");
        gitconfig(home.resolve("work.gitconfig"), "[user]", "\temail = ada@example.com");

        assertEquals(ADA, GitIdentity.query(env()));
    }

    @Test
    void theXdgConfigIsReadToo() throws IOException {
        gitconfig(home.resolve("xdg/git/config"), "[user]", "\tname = Ada Lovelace", "\temail = ada@example.com");
        Map<String, String> env = env();
        env.put("XDG_CONFIG_HOME", home.resolve("xdg").toString());

        assertEquals(ADA, GitIdentity.query(env));
    }

    @Test
    void gitConfigGlobalNamesAnotherFile() throws IOException {
        gitconfig(home.resolve(".gitconfig"), "[user]", "\tname = Not Used");
        gitconfig(home.resolve("elsewhere/config"), "[user]", "\tname = Ada Lovelace", "\temail = ada@example.com");
        Map<String, String> env = env();
        env.put("GIT_CONFIG_GLOBAL", home.resolve("elsewhere/config").toString());

        assertEquals(ADA, GitIdentity.query(env));
    }

    @Test
    void onlyTheVariablesThatLocateTheConfigArePassedToGit() throws IOException {
        gitconfig(home.resolve(".gitconfig"), "[user]", "\tname = Ada Lovelace", "\temail = ada@example.com");
        Map<String, String> env = env();
        env.put("GIT_CONFIG_COUNT", "1");
        env.put("GIT_CONFIG_KEY_0", "user.name");
        env.put("GIT_CONFIG_VALUE_0", "Injected");
        env.put("GIT_CONFIG_PARAMETERS", "'user.email'='injected@example.com'");

        assertEquals(ADA, GitIdentity.query(env));
    }

    @Test
    void aHomeWithoutGitConfigGivesNoIdentity() {
        assertEquals(Map.of(), GitIdentity.query(env()));
    }

    @Test
    void aBrokenConfigGivesNoIdentity() throws IOException {
        gitconfig(home.resolve(".gitconfig"), "[user", "name = Ada");

        assertEquals(Map.of(), GitIdentity.query(env()));
    }

    @Test
    void readingInTheBackgroundCompletesWithTheIdentity() throws Exception {
        gitconfig(home.resolve(".gitconfig"), "[user]", "\tname = Ada Lovelace", "\temail = ada@example.com");

        assertEquals(ADA, GitIdentity.read(env()).get(30, TimeUnit.SECONDS));
        Map<String, String> empty = env();
        empty.put("HOME", home.resolve("empty").toString());
        assertEquals(Map.of(), GitIdentity.read(empty).get(30, TimeUnit.SECONDS));
    }

    @Test
    void theKnownVariableNamesAreTheFourGitReads() {
        assertEquals(List.of("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"),
                List.copyOf(GitIdentity.parse("user.name a\nuser.email b").keySet()));
    }

    // --- reading the files directly, as git would

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "[user]\n\tname = Ada Lovelace\n\temail = ada@example.com\n",
            "[User]\n\tName = \"Ada Lovelace\"\n\tEMAIL = ada@example.com ; work\n",
            "[user]\nname = Ada # the name\n[core]\neditor = vim\n[user]\nemail = \"ada@example.com\"\n",
            "[user \"other\"]\nname = Not Ada\n[user]\nname = Ada\n",
            "[user]\nname = \"Ada \\\"The Countess\\\" Lovelace\"\n",
            "[core]\neditor = vim\n",
            "",
            "[user]\nname = Ada\nname = Lovelace\n"})
    void theFilesAreReadTheWayGitReadsThem(String config) throws IOException {
        gitconfig(home.resolve(".gitconfig"), config);

        assertEquals(java.util.Optional.of(GitIdentity.query(env())), GitIdentity.fromFiles(env()), config);
    }

    @Test
    void bothFilesCountAndTheHomeFileWinsAsInAGitCommit() throws IOException {
        gitconfig(home.resolve(".config/git/config"), "[user]", "\tname = From Xdg", "\temail = xdg@example.com");
        gitconfig(home.resolve(".gitconfig"), "[user]", "\tname = Ada Lovelace");

        // what `git var GIT_AUTHOR_IDENT` says here: the name from ~/.gitconfig, the email from the XDG file
        assertEquals(java.util.Optional.of(Map.of("GIT_AUTHOR_NAME", "Ada Lovelace", "GIT_COMMITTER_NAME", "Ada Lovelace",
                "GIT_AUTHOR_EMAIL", "xdg@example.com", "GIT_COMMITTER_EMAIL", "xdg@example.com")), GitIdentity.fromFiles(env()));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "[include]\n\tpath = other\n",
            "[includeIf \"gitdir:~/work/\"]\n\tpath = work\n",
            "[user\nname = Ada\n",
            "[user]\nname = Ada \\\n  Lovelace\n"})
    void includesAndUnusualFilesAreLeftToGitItself(String config) throws IOException {
        gitconfig(home.resolve(".gitconfig"), config);

        assertEquals(java.util.Optional.empty(), GitIdentity.fromFiles(env()), config);
    }
}

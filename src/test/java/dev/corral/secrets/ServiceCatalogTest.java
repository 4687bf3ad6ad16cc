package dev.corral.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceCatalogTest {
    private static final ServiceCatalog CATALOG = ServiceCatalog.builtIn();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void theBuiltInServicesAreKnownWithTheirVariablesAndHosts() {
        assertEquals(List.of("anthropic", "openai", "google", "github", "mistral", "groq", "openrouter", "huggingface", "npm"), CATALOG.names());
        assertService("anthropic", List.of("ANTHROPIC_API_KEY"), List.of("api.anthropic.com"));
        assertService("openai", List.of("OPENAI_API_KEY"), List.of("api.openai.com"));
        assertService("google", List.of("GEMINI_API_KEY", "GOOGLE_API_KEY"), List.of("generativelanguage.googleapis.com"));
        assertService("github", List.of("GH_TOKEN", "GITHUB_TOKEN"), List.of("github.com", "api.github.com", "*.githubusercontent.com"));
        assertService("huggingface", List.of("HF_TOKEN"), List.of("huggingface.co"));
        assertService("npm", List.of("NPM_TOKEN"), List.of("registry.npmjs.org"));
    }

    @Test
    void placeholdersLookLikeEachServicesRealKeys() {
        Map<String, String> patterns = Map.of(
                "anthropic", "sk-ant-api03-corral-[A-Za-z0-9_-]{88}",
                "openai", "sk-corral-[A-Za-z0-9]{48}",
                "google", "AIzaCorral[A-Za-z0-9_-]{29}",
                "github", "ghp_corral[A-Za-z0-9]{30}",
                "mistral", "corral[A-Za-z0-9]{26}",
                "groq", "gsk_corral[A-Za-z0-9]{46}",
                "openrouter", "sk-or-v1-corral-[0-9a-f]{48}",
                "huggingface", "hf_corral[A-Za-z]{28}",
                "npm", "npm_corral[A-Za-z0-9]{30}");
        assertEquals(CATALOG.names().size(), patterns.size(), "every service has an expected pattern");
        for (SecretDefinition service : CATALOG.services()) {
            String placeholder = service.placeholder().generate(RANDOM);
            assertTrue(placeholder.matches(patterns.get(service.name())), service.name() + ": " + placeholder);
            assertTrue(service.placeholder().matches(placeholder), service.name());
            assertNotEquals(placeholder, service.placeholder().generate(RANDOM), service.name());
        }
        assertEquals(40, CATALOG.find("github").orElseThrow().placeholder().generate(RANDOM).length(), "as long as a real ghp_ token");
        assertEquals(39, CATALOG.find("google").orElseThrow().placeholder().generate(RANDOM).length(), "as long as a real AIza key");
    }

    @Test
    void everyPlaceholderHasAtLeast128RandomBits() {
        for (SecretDefinition service : CATALOG.services()) {
            PlaceholderFormat f = service.placeholder();
            double bits = f.length() * Math.log(f.alphabet().chars().length()) / Math.log(2);
            assertTrue(bits >= 128, service.name() + " has " + bits + " bits");
        }
        assertThrows(IllegalArgumentException.class, () -> new PlaceholderFormat("x", PlaceholderFormat.Alphabet.HEX, 31));
    }

    @Test
    void theRandomPartUsesTheWholeAlphabet() {
        PlaceholderFormat format = new PlaceholderFormat("", PlaceholderFormat.Alphabet.BASE64URL, 4000);
        String sample = format.generate(RANDOM);
        for (char c : PlaceholderFormat.Alphabet.BASE64URL.chars().toCharArray()) {
            assertTrue(sample.indexOf(c) >= 0, "never drew " + c);
        }
    }

    @Test
    void extraHostsAreAddedToTheServicesOwn() {
        SecretDefinition github = CATALOG.service("github", List.of("GHE.Example.com.", "*.ghe.example.com", "github.com"));

        assertEquals(List.of("github.com", "api.github.com", "*.githubusercontent.com", "ghe.example.com", "*.ghe.example.com"), github.hosts());
    }

    @Test
    void anUnknownServiceListsTheKnownOnesAndSuggestsSetCustom() {
        SecretException e = assertThrows(SecretException.class, () -> CATALOG.service("gitlab", List.of()));

        assertTrue(e.getMessage().contains("gitlab"));
        assertTrue(e.getMessage().contains("anthropic, openai, google, github"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("corral secret set-custom"), e.fix().orElseThrow());
    }

    @Test
    void aCustomSecretCantTakeABuiltInName() {
        SecretException e = assertThrows(SecretException.class, () -> CATALOG.custom("openai", List.of("x.example.com"), List.of("X_KEY")));

        assertTrue(e.fix().orElseThrow().contains("corral secret set openai"));
    }

    @Test
    void customSecretsCheckTheirNameVariablesAndHosts() {
        SecretDefinition ok = CATALOG.custom("my-svc2", List.of("api.my.example"), List.of("MY_TOKEN", "MY_TOKEN"));
        assertEquals(List.of("MY_TOKEN"), ok.envVars());
        assertTrue(ok.placeholder().generate(RANDOM).matches("corral-secret-[A-Za-z0-9]{32}"));

        for (String name : List.of("My-Svc", "my_svc", "-svc", "", "a".repeat(65), "x y")) {
            assertThrows(SecretException.class, () -> CATALOG.custom(name, List.of("a.example.com"), List.of("A_KEY")), name);
        }
        assertThrows(SecretException.class, () -> CATALOG.custom("svc", List.of("*"), List.of("A_KEY")));
        assertThrows(SecretException.class, () -> CATALOG.custom("svc", List.of("a.example.com"), List.of("LD_PRELOAD")));
        assertThrows(SecretException.class, () -> CATALOG.custom("svc", List.of(), List.of("A_KEY")));
        assertThrows(SecretException.class, () -> CATALOG.custom("svc", List.of("a.example.com"), List.of()));
    }

    @Test
    void aCatalogWithUnknownKeysIsRejected() {
        assertThrows(IllegalStateException.class, () -> ServiceCatalog.parse("""
                {"version": 1, "services": [{"name": "x", "env": ["X_KEY"], "hosts": ["x.example.com"], "extra": 1,
                 "placeholder": {"prefix": "x", "alphabet": "hex", "length": 40}}]}"""));
    }

    private static void assertService(String name, List<String> env, List<String> hosts) {
        SecretDefinition service = CATALOG.find(name).orElseThrow();
        assertEquals(env, service.envVars(), name);
        assertEquals(hosts, service.hosts(), name);
    }
}

package dev.corral.backend.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole bubblewrap argument list for a fixed input, against a reviewed golden file: any change
 * to the sandbox's shape shows up as a diff to read. Regenerate with
 * {@code -Dcorral.golden.update=true} and review the diff before committing it.
 */
class BwrapGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/bwrap-basic.args");

    @Test
    void theBasicSandboxMatchesTheGoldenFile() throws IOException {
        LaunchPlan plan = BwrapPlanner.plan(PlanInputs.basic());
        List<String> argv = new ArrayList<>(plan.options());
        argv.add("--");
        argv.addAll(plan.command());
        String actual = String.join("\n", argv) + "\n";

        if (Boolean.getBoolean("corral.golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
        }

        assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), actual,
                "bwrap arguments changed; review, then regenerate with -Dcorral.golden.update=true");
    }
}

package dev.corral.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@code secret-tool} in memory: records every call and answers as the real one does. */
final class FakeKeyring implements ProcessRunner {
    record Call(List<String> argv, String stdin) {
    }

    final List<Call> calls = new ArrayList<>();
    final Map<String, String> items = new HashMap<>();
    /** When set, every call fails with this on stderr, like a locked or absent keyring. */
    String failure;

    @Override
    public Result run(List<String> argv, byte[] stdin) {
        String input = new String(stdin, StandardCharsets.UTF_8);
        calls.add(new Call(argv, input));
        if (failure != null) return new Result(1, new byte[0], "secret-tool: " + failure + "\n");
        String name = argv.getLast();
        return switch (argv.get(1)) {
            case "store" -> {
                items.put(name, input);
                yield new Result(0, new byte[0], "");
            }
            case "lookup" -> items.containsKey(name)
                    ? new Result(0, items.get(name).getBytes(StandardCharsets.UTF_8), "")
                    : new Result(1, new byte[0], "");
            case "clear" -> {
                items.remove(name);
                yield new Result(0, new byte[0], "");
            }
            default -> new Result(2, new byte[0], "usage: secret-tool ...\n");
        };
    }
}

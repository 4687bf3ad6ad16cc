package dev.corral.cli;

import dev.corral.net.Decision;
import dev.corral.sandbox.SandboxName;
import dev.corral.support.Json;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** {@code corral net log NAME [--json] [--limit N]}. */
final class NetCommand extends CliCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    NetCommand() {
        super("net", "Show a sandbox's network decisions.", "log NAME [--json] [--limit N]",
                List.of(OptionSpec.flag("One JSON object per line.", "--json"),
                        OptionSpec.value("N", "Only the last N decisions (default: 100; 0 for all).", "--limit")));
    }

    @Override
    int run(ParsedArgs args) {
        List<String> words = args.positionals();
        if (words.size() != 2 || !words.getFirst().equals("log")) throw new UsageException(name(), "use: corral net log NAME");
        int limit;
        try {
            limit = Integer.parseInt(args.value("--limit").orElse("100"));
            if (limit < 0) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new UsageException(name(), "--limit needs a whole number, 0 for all");
        }
        List<Decision> decisions = Services.networkPolicy().log(new SandboxName(words.get(1)), limit);
        if (args.flag("--json")) {
            for (Decision d : decisions) System.out.println(Json.write(d.toMap()));
            return 0;
        }
        Table table = new Table("TIME", "DECISION", "HOST", "PORT", "VIA", "RULE", "UP", "DOWN", "NOTE");
        for (Decision d : decisions) {
            String note = !d.reason().isEmpty() ? d.reason() : !d.warnings().isEmpty() ? d.warnings().getFirst()
                    : d.secrets().isEmpty() ? "" : "secrets: " + String.join(",", d.secrets());
            table.row(TIME.format(d.time()), d.allowed() ? "allow" : "deny", d.host(), Integer.toString(d.port()),
                    d.protocol() + d.method().map(m -> " " + m).orElse(""), d.rule(), Long.toString(d.bytesUp()),
                    Long.toString(d.bytesDown()), note);
        }
        System.out.print(table);
        return 0;
    }
}

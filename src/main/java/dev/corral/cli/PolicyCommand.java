package dev.corral.cli;

import dev.corral.app.NetworkPolicyService;
import dev.corral.policy.NetworkRule;
import dev.corral.support.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code corral policy allow|deny|rm HOST... [--sandbox NAME]} and {@code corral policy ls [--sandbox NAME]}. */
final class PolicyCommand extends CliCommand {
    PolicyCommand() {
        super("policy", "Change or show a sandbox's network rules (live while it runs).",
                "allow|deny|rm HOST[:PORT]... [--sandbox NAME] | ls [--sandbox NAME] [--json]",
                List.of(OptionSpec.value("NAME", "The sandbox (default: the one working in the current folder).", "--sandbox"),
                        OptionSpec.flag("With ls: one JSON document.", "--json")));
    }

    @Override
    int run(ParsedArgs args) {
        List<String> words = args.positionals();
        if (words.isEmpty()) throw new UsageException(name(), "say allow, deny, rm or ls");
        Optional<String> sandbox = args.value("--sandbox");
        List<String> hosts = words.subList(1, words.size());
        NetworkPolicyService service = Services.networkPolicy();
        switch (words.getFirst()) {
            case "allow", "deny" -> {
                if (hosts.isEmpty()) throw new UsageException(name(), "name at least one HOST[:PORT]");
                report(service.add(sandbox, NetworkRule.Action.parse(words.getFirst()), hosts));
            }
            case "rm" -> {
                if (hosts.isEmpty()) throw new UsageException(name(), "name at least one HOST[:PORT]");
                report(service.remove(sandbox, hosts));
            }
            case "ls" -> {
                if (!hosts.isEmpty()) throw new UsageException(name(), "unexpected arguments " + hosts);
                print(service.list(sandbox), args.flag("--json"));
            }
            default -> throw new UsageException(name(), "unknown action '" + words.getFirst() + "' (use allow, deny, rm or ls)");
        }
        return 0;
    }

    private static void report(NetworkPolicyService.Change change) {
        String when = change.running() ? "in force now" : "from its next run";
        Notices.print(change.sandbox() + ": " + String.join(", ", change.done()) + " (" + when + ")");
    }

    private static void print(NetworkPolicyService.Rules rules, boolean json) {
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("sandbox", rules.sandbox().value());
            doc.put("preset", rules.preset());
            doc.put("rules", rules.rules().stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("action", r.action().word());
                m.put("host", r.pattern().toString());
                m.put("source", r.source());
                return m;
            }).toList());
            System.out.print(Json.writePretty(doc));
            return;
        }
        System.out.println("sandbox " + rules.sandbox() + ", preset " + rules.preset()
                + (rules.preset().equals("open") ? " (hosts no rule names are allowed)" : " (hosts no rule names are denied)"));
        Table table = new Table("ACTION", "HOST", "SOURCE");
        for (NetworkRule rule : rules.rules()) table.row(rule.action().word(), rule.pattern().toString(), rule.source());
        System.out.print(table);
    }
}

package dev.corral.cli;

import dev.corral.agents.AgentProfiles;
import dev.corral.image.ImageService;
import dev.corral.support.Json;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code corral image build [AGENT] [--version V] [--refresh]}, {@code corral image ls [--json]}. */
final class ImageCommand extends CliCommand {
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    ImageCommand() {
        super("image", "Build Corral's images for the Docker backend (the base, an agent's); list them.",
                "build [AGENT] [--version V] [--refresh] | ls [--json]",
                List.of(OptionSpec.value("VERSION", "The agent's version (default: the newest installed, else the registry's newest).",
                                "--version"),
                        OptionSpec.flag("Build the root filesystem again from Debian's current packages (updates), then the images.",
                                "--refresh"),
                        OptionSpec.flag("One JSON document.", "--json")));
    }

    @Override
    int run(ParsedArgs args) {
        List<String> words = args.positionals();
        if (!args.afterDashes().isEmpty()) throw new UsageException(name(), "unexpected arguments after --");
        String verb = words.isEmpty() ? "ls" : words.getFirst();
        return switch (verb) {
            case "build" -> {
                if (words.size() > 2) throw new UsageException(name(), "use: corral image build [AGENT]");
                boolean agent = words.size() == 2 && !words.get(1).equals(AgentProfiles.SHELL);
                if (!agent && args.value("--version").isPresent()) throw new UsageException(name(), "--version needs an AGENT");
                ImageService images = Services.images();
                String reference = agent ? images.agent(words.get(1), args.value("--version"), args.flag("--refresh"), Notices::print)
                        : images.base(args.flag("--refresh"), Notices::print);
                System.out.println(reference);
                yield 0;
            }
            case "ls" -> {
                if (words.size() > 1) throw new UsageException(name(), "use: corral image ls [--json]");
                yield list(args.flag("--json"));
            }
            default -> throw new UsageException(name(), "unknown verb '" + verb + "' (use build or ls)");
        };
    }

    private static int list(boolean json) {
        List<ImageService.ImageSummary> images = Services.images().list();
        if (json) {
            List<Object> all = new ArrayList<>();
            for (ImageService.ImageSummary image : images) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("image", image.reference());
                map.put("kind", image.kind());
                map.put("size", image.size());
                map.put("created", image.created().toString());
                map.put("current", image.current());
                all.add(map);
            }
            System.out.println(Json.writePretty(all));
            return 0;
        }
        Table table = new Table("IMAGE", "KIND", "SIZE", "CREATED", "STATUS");
        for (ImageService.ImageSummary image : images) {
            String status = image.current() ? "current" : image.kind().equals("base") ? "old package list" : "on an older base";
            table.row(image.reference(), image.kind(), (image.size() >> 20) + " MB", CREATED.format(image.created()), status);
        }
        System.out.print(table);
        return 0;
    }
}

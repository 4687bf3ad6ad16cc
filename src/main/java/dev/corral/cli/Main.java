package dev.corral.cli;

import dev.corral.CorralException;
import dev.corral.support.Trace;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Corral's entry point: finds the subcommand, parses its options, runs it, and turns every failure
 * into one line on stderr (the cause and the fix) with exit status 125; {@code --debug} anywhere
 * before {@code --} adds the stack trace.
 */
public final class Main {
    static final List<OptionSpec> COMMON = List.of(
            OptionSpec.flag("Show this help.", "-h", "--help"),
            OptionSpec.flag("Print stack traces of Corral's own errors.", "--debug"));
    private static final List<CliCommand> COMMANDS = List.of(new RunCommand(), new ExecCommand(), new AttachCommand(),
            new LogsCommand(), new LsCommand(), new InspectCommand(), new StopCommand(), new RmCommand(), new DiffCommand(),
            new MergeCommand(), new ApplyCommand(), new PolicyCommand(), new NetCommand(),
            new SecretCommand(), new AgentsCommand(), new ImageCommand(), new DoctorCommand(), new VersionCommand());
    private static final Map<String, CliCommand> BY_NAME = COMMANDS.stream()
            .collect(Collectors.toMap(CliCommand::name, Function.identity()));

    private Main() {
    }

    public static void main(String[] args) {
        Trace.mark("main");
        int status = Training.requested() ? Training.run() : execute(List.of(args));
        Trace.mark("exit");
        System.exit(status);
    }

    static int execute(List<String> args) {
        int dashes = args.indexOf("--");
        boolean debug = (dashes < 0 ? args : args.subList(0, dashes)).contains("--debug");
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty() && rest.getFirst().startsWith("-") && !rest.getFirst().equals("--")) {
            String option = rest.removeFirst();
            switch (option) {
                case "--debug" -> { }
                case "-h", "--help" -> {
                    System.out.print(Help.overview(COMMANDS));
                    return 0;
                }
                case "-V", "--version" -> {
                    System.out.println(VersionCommand.version());
                    return 0;
                }
                default -> {
                    return usageError(new UsageException(null, "unknown option '" + option + "'"), debug);
                }
            }
        }
        if (rest.isEmpty()) {
            System.out.print(Help.overview(COMMANDS));
            return 0;
        }
        CliCommand command = BY_NAME.get(rest.getFirst());
        if (command == null) {
            return usageError(new UsageException(null, "unknown command '" + rest.getFirst() + "'"), debug);
        }
        try {
            List<OptionSpec> specs = Stream.concat(command.options().stream(), COMMON.stream()).toList();
            ParsedArgs parsed = ArgParser.parse(command.name(), specs, rest.subList(1, rest.size()));
            if (parsed.flag("--help")) {
                System.out.print(Help.command(command, specs));
                return 0;
            }
            return command.run(parsed);
        } catch (UsageException e) {
            return usageError(e, debug);
        } catch (CorralException e) {
            err().println("corral: " + e.getMessage() + e.fix().map(f -> "; " + f).orElse(""));
            if (debug) e.printStackTrace(err());
            return ExitCodes.CORRAL_FAILURE;
        } catch (RuntimeException e) {
            err().println("corral: internal error: " + e + "; rerun with --debug and report it");
            if (debug) e.printStackTrace(err());
            return ExitCodes.CORRAL_FAILURE;
        }
    }

    private static int usageError(UsageException e, boolean debug) {
        String help = e.command() == null ? "corral --help" : "corral " + e.command() + " --help";
        err().println("corral: " + e.getMessage() + "; see " + help);
        if (debug) e.printStackTrace(err());
        return ExitCodes.CORRAL_FAILURE;
    }

    private static PrintStream err() {
        return System.err;
    }
}

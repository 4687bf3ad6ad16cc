package dev.corral.cli;

import dev.corral.app.Doctor;

import java.util.List;

/** {@code corral doctor}: each prerequisite, and the fix for what is missing. */
final class DoctorCommand implements CliCommand {
    @Override
    public String name() {
        return "doctor";
    }

    @Override
    public String summary() {
        return "Check this machine's prerequisites for sandboxes.";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of();
    }

    @Override
    public int run(ParsedArgs args) {
        boolean failed = false;
        for (Doctor.Check check : Doctor.run()) {
            String mark = check.ok() ? "ok  " : check.required() ? "FAIL" : "warn";
            System.out.printf("%s  %-16s %s%n", mark, check.name(), check.detail());
            if (!check.ok()) check.fix().ifPresent(f -> System.out.printf("      %-16s fix: %s%n", "", f));
            failed |= !check.ok() && check.required();
        }
        return failed ? ExitCodes.CORRAL_FAILURE : 0;
    }
}

package dev.corral.cli;

import dev.corral.app.Doctor;

import java.util.List;

/** {@code corral doctor}: each prerequisite, and the fix for what is missing. */
final class DoctorCommand extends CliCommand {
    DoctorCommand() {
        super("doctor", "Check this machine's prerequisites for sandboxes.",
                "", List.of());
    }

    @Override
    int run(ParsedArgs args) {
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

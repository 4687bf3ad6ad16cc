package dev.corral.cli;

import dev.corral.app.Doctor;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code corral doctor}: each prerequisite, and the fix for what is missing. */
@Command(name = "doctor", description = "Check the prerequisites of sandboxes on this machine.")
final class DoctorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        List<Doctor.Check> checks = Doctor.run();
        boolean failed = false;
        for (Doctor.Check check : checks) {
            String mark = check.ok() ? "ok  " : check.required() ? "FAIL" : "warn";
            System.out.printf("%s  %-16s %s%n", mark, check.name(), check.detail());
            check.fix().filter(f -> !check.ok()).ifPresent(f -> System.out.printf("      %-16s fix: %s%n", "", f));
            failed |= !check.ok() && check.required();
        }
        return failed ? ExitCodes.CORRAL_FAILURE : 0;
    }
}

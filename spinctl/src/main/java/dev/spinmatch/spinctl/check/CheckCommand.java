package dev.spinmatch.spinctl.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spinctl check}: prints the invariant violations of a database; exit 1 when there is any. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Run spin.invariant_violations against a database and print the result. "
                + "Exit code 1 when any invariant is violated, 2 when the check cannot run.")
public final class CheckCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions db;

    @Option(names = "--grace", defaultValue = "1 second",
            description = "How long two pairable waiting users may wait before they count as stranded "
                    + "(a PostgreSQL interval, default: ${DEFAULT-VALUE}).")
    String grace;

    @Option(names = "--json", description = "Print JSON for machines.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (db.missing("check")) {
            return 2;
        }
        db.requireReachable();
        List<Violation> violations = db.check().violations(grace);
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(Map.of("healthy", violations.isEmpty(), "violations", violations)));
        } else {
            ViolationTable.print(violations, System.out);
        }
        return violations.isEmpty() ? 0 : 1;
    }
}

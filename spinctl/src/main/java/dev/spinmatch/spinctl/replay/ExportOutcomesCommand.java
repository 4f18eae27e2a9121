package dev.spinmatch.spinctl.replay;

import dev.spinmatch.spinctl.check.DatabaseOptions;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spinctl export-outcomes}: what became of every spin of a database, for {@code spinctl diff}. */
@Command(name = "export-outcomes", mixinStandardHelpOptions = true,
        description = "Read spin.spins and spin.matches of a database (read-only) into the outcome export: one "
                + "NDJSON line per spin with its outcome and partner, the format spinctl diff compares.")
public final class ExportOutcomesCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions db;

    @Option(names = {"-o", "--out"}, description = "Output file (default: standard output).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (db.missing("export-outcomes")) {
            return 2;
        }
        db.requireReachable();
        List<Outcome> outcomes = Outcomes.read(db.dataSource());
        if (out == null) {
            Outcomes.write(outcomes, new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        } else {
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                Outcomes.write(outcomes, w);
            }
        }
        return 0;
    }
}

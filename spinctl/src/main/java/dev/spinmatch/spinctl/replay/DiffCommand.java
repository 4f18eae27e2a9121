package dev.spinmatch.spinctl.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spinctl diff A B}: the users whose outcome differs between two outcome exports. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare two outcome exports (spinctl export-outcomes, or replay --outcomes) and list "
                + "the users whose spins ended differently (outcome or partner). Exit 1 when any differs.")
public final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "First outcome export (NDJSON).")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "Second outcome export (NDJSON).")
    Path b;

    @Option(names = "--json", description = "Print JSON for machines.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<OutcomeDiff.UserDiff> diffs = OutcomeDiff.compare(Outcomes.read(a), Outcomes.read(b));
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(diffs));
        } else {
            OutcomeDiff.print(diffs, System.out);
        }
        return diffs.isEmpty() ? 0 : 1;
    }
}

package dev.spinmatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The migration Job overrides the image's entrypoint; deploy/ci/images-check.sh runs that exact
 * command in the worker image against a real database. A Job command edited without the check
 * (or the reverse) would reach a cluster untested.
 */
class MigrationJobCommandUntestedTest {
    private static final Pattern CHECKED = Pattern.compile("^MIGRATE_COMMAND=\"([^\"]+)\"", Pattern.MULTILINE);

    static List<String> overlays() {
        return Manifests.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void jobRunsTheCommandImagesCheckRuns(String overlay) throws IOException {
        Matcher checked = CHECKED.matcher(Files.readString(Manifests.deploy().resolve("ci/images-check.sh")));
        assertThat(checked.find()).as("MIGRATE_COMMAND in images-check.sh").isTrue();
        assertThat(String.join(" ", command(job(overlay).containers().get(0)))).isEqualTo(checked.group(1));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void jobRunsTheWorkerImage(String overlay) {
        List<K8sObject> objects = Manifests.rendered(overlay);
        Object worker = objects.stream().filter(o -> o.is("Deployment", "spinmatch-worker")).findFirst().orElseThrow()
                .containers().get(0).get("image");
        assertThat(job(overlay).containers().get(0).get("image")).isEqualTo(worker);
    }

    private static K8sObject job(String overlay) {
        return Manifests.rendered(overlay).stream().filter(o -> o.is("Job", "spinmatch-migrate")).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<String> command(Map<String, Object> container) {
        return (List<String>) container.get("command");
    }
}

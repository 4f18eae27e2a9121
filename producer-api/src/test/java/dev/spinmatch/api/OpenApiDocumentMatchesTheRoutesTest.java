package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.publisher.SpinPublisher;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.Test;

/** The OpenAPI document lists exactly the routes the server has: no undocumented route, no documented ghost. */
class OpenApiDocumentMatchesTheRoutesTest {
    private static final Pattern PATH = Pattern.compile("^  (/\\S*):\\s*$");
    private static final Pattern METHOD = Pattern.compile("^    (get|post|put|delete|patch):\\s*$");

    @Test
    void documentedOperationsEqualTheRoutes() throws Exception {
        ApiOptions options = ApiOptions.from(TestApi.settings());
        Backends backends = new Backends(new SpinPublisher(new MockProducer<>(), "t", Clock.systemUTC()),
                TestApi.EMPTY_STATE, Map.of(), List.of());
        Set<String> routes = ApiServer.routes(options, backends, new ApiMetrics(), Runnable::run,
                new BlockingCalls(1, options.retryAfter())).stream()
                .map(r -> r.method() + " " + r.template()).collect(Collectors.toCollection(TreeSet::new));

        assertThat(documented()).isEqualTo(routes);
    }

    private static Set<String> documented() throws Exception {
        Set<String> operations = new TreeSet<>();
        String path = null;
        try (InputStream in = OpenApiDocumentMatchesTheRoutesTest.class.getResourceAsStream("/openapi.yaml")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher p = PATH.matcher(line);
                Matcher m = METHOD.matcher(line);
                if (p.matches()) {
                    path = p.group(1);
                } else if (m.matches() && path != null) {
                    operations.add(m.group(1).toUpperCase() + " " + path);
                } else if (!line.startsWith(" ") && !line.isBlank()) {
                    path = null;
                }
            }
        }
        return operations;
    }
}

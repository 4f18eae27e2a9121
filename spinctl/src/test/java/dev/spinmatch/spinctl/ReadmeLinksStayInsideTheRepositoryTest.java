package dev.spinmatch.spinctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README.md sent readers to ../shared/DESIGN.md, outside the repository: a fresh clone has no such file. Every
 * link and path it names stays inside the repository and exists (surefire runs in spinctl/, the repository is
 * its parent), and it says how long the test command takes and what it needs besides a JDK.
 */
class ReadmeLinksStayInsideTheRepositoryTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#]+)(#[^)]*)?\\)");

    @Test
    void everyLinkPointsAtAFileOfTheRepository() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).doesNotContain("../");
        List<String> missing = new ArrayList<>();
        Matcher link = LINK.matcher(readme);
        int links = 0;
        while (link.find()) {
            String target = link.group(1);
            if (!target.startsWith("http")) {
                links++;
                if (!Files.exists(ROOT.resolve(target))) {
                    missing.add(target);
                }
            }
        }
        assertThat(links).as("links to files of the repository").isPositive();
        assertThat(missing).isEmpty();
    }

    @Test
    void testCommandSaysHowLongItTakesAndWhatItNeeds() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        String tests = readme.substring(readme.indexOf("Run all the tests"), readme.indexOf("./mvnw -B -ntp verify") + 200);
        assertThat(tests).containsPattern("about \\d+ minutes").contains("chromium").contains("kubectl");
    }
}

package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * /v1/dashboard/stats needed no token: anyone who could reach the API could make it run database and Kafka
 * queries. It needs a token allowed to read, like the other reads.
 */
class DashboardStatsNeedTheReadTokenTest {
    @RegisterExtension
    static final TestApi api = new TestApi();

    @Test
    void statsWithoutATokenAre401WithTheReadTokenServed() throws Exception {
        assertThat(api.send("GET", "/v1/dashboard/stats", (String) null).statusCode()).isEqualTo(401);
        assertThat(api.send("GET", "/v1/dashboard/stats", (String) null, "Authorization", "Bearer "
                + TestApi.READ_ONLY_TOKEN).statusCode()).isEqualTo(200);
    }
}

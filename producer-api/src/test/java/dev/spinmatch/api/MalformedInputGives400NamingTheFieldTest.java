package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Any malformed input is a 400 whose JSON names the field, and nothing reaches Kafka. */
class MalformedInputGives400NamingTheFieldTest {
    @RegisterExtension
    static final TestApi api = new TestApi();

    @ParameterizedTest(name = "{0} {1} {2} -> field {3}")
    @CsvSource(delimiter = '|', value = {
        "POST  |/v1/spins                                         |{not json                              |body",
        "POST  |/v1/spins                                         |[1,2]                                  |body",
        "POST  |/v1/spins                                         |{\"userId\":\"a\"} trailing             |body",
        "POST  |/v1/spins                                         |{\"userId\":\"a\",\"userId\":\"b\"}     |body",
        "POST  |/v1/spins                                         |''                                     |body",
        "POST  |/v1/spins                                         |{}                                     |userId",
        "POST  |/v1/spins                                         |{\"userId\":42}                        |userId",
        "POST  |/v1/spins                                         |{\"userId\":\"has space\"}             |userId",
        "POST  |/v1/spins                                         |{\"userId\":\"a\",\"pool\":\"Bad Pool\"}|pool",
        "POST  |/v1/spins                                         |{\"userId\":\"a\",\"pool\":7}          |pool",
        "POST  |/v1/spins                                         |{\"userId\":\"a\",\"spinId\":\"1-1-1-1-1\"}|spinId",
        "POST  |/v1/spins                                         |{\"userId\":\"a\",\"colour\":\"red\"}  |colour",
        "POST  |/v1/spins?debug=1                                 |{\"userId\":\"a\"}                     |debug",
        "DELETE|/v1/spins/not-a-uuid?userId=a                     |''                                     |spinId",
        "DELETE|/v1/spins/6b1a3f0e-8c1d-4d8e-9a55-0f5e3c1b2a11    |''                                     |userId",
        "DELETE|/v1/spins/6b1a3f0e-8c1d-4d8e-9a55-0f5e3c1b2a11?userId=a|{\"userId\":\"b\"}               |userId",
        "POST  |/v1/matches/zzz/end                               |{\"userId\":\"a\"}                     |matchId",
        "POST  |/v1/matches/6b1a3f0e-8c1d-4d8e-9a55-0f5e3c1b2a11/end|{}                                   |userId",
        "GET   |/v1/spins/123                                     |''                                     |spinId",
    })
    void malformedRequestIsRejectedNamingTheField(String method, String path, String body, String field)
            throws Exception {
        HttpResponse<String> response = api.authorized(method.trim(), path.trim(), body.isEmpty() ? null : body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode json = Json.MAPPER.readTree(response.body());
        assertThat(json.get("error").asText()).isEqualTo("invalid_request");
        assertThat(json.get("field").asText()).isEqualTo(field);
        assertThat(json.get("message").asText()).isNotBlank();
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        assertThat(api.producer.history()).isEmpty();
    }

    @Test
    void aWellFormedSpinIsAccepted() throws Exception {
        HttpResponse<String> response = api.authorized("POST", "/v1/spins", "{\"userId\":\"ok-user\",\"pool\":\"eu\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(Json.MAPPER.readTree(response.body()).get("status").asText()).isEqualTo("queued");
    }
}

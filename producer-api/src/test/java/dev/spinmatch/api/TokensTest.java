package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokensTest {
    private final Tokens tokens = Tokens.parse("tokenA:spin,cancel,end,read; tokenB:read");

    @Test
    void configuredActionsAreAllowed() {
        assertThatCode(() -> tokens.authorize("Bearer tokenA", Action.END)).doesNotThrowAnyException();
        assertThatCode(() -> tokens.authorize("bearer tokenB", Action.READ)).doesNotThrowAnyException();
    }

    @Test
    void otherActionsAreForbidden() {
        assertThatThrownBy(() -> tokens.authorize("Bearer tokenB", Action.SPIN))
                .isInstanceOfSatisfying(ApiException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.reply().status()).isEqualTo(403));
    }

    @Test
    void missingOrUnknownTokensAreUnauthorized() {
        for (String header : new String[] {null, "", "Bearer", "Bearer tokenC", "tokenA"}) {
            assertThatThrownBy(() -> tokens.authorize(header, Action.READ))
                    .isInstanceOfSatisfying(ApiException.class, e -> org.assertj.core.api.Assertions
                            .assertThat(e.reply().status()).isEqualTo(401));
        }
    }

    @Test
    void misspelledActionFailsAtStartup() {
        assertThatThrownBy(() -> Tokens.parse("t:spinn")).hasMessageContaining("spinn");
        assertThatThrownBy(() -> Tokens.parse("no-actions")).hasMessageContaining("api.tokens");
    }
}

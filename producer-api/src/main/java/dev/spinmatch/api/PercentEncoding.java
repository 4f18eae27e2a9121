package dev.spinmatch.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** What is wrong with the percent-encoding of a raw URI part, in words a caller can act on. */
final class PercentEncoding {
    private PercentEncoding() {
    }

    /** Empty when every {@code %} starts two hex digits and the decoded bytes are UTF-8. */
    static Optional<String> problem(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.write(c);
            } else if (i + 2 < raw.length() && hex(raw.charAt(i + 1)) && hex(raw.charAt(i + 2))) {
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                return Optional.of("'" + raw.substring(i, Math.min(raw.length(), i + 3))
                        + "' is not a percent-encoded byte (% and two hex digits)");
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()));
            return Optional.empty();
        } catch (CharacterCodingException e) {
            return Optional.of("its percent-encoded bytes are not UTF-8");
        }
    }

    private static boolean hex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}

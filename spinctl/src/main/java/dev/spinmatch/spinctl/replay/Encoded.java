package dev.spinmatch.spinctl.replay;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Bytes as JSON text: the UTF-8 string when the bytes are valid UTF-8 (readable, and it encodes back
 * to the same bytes), otherwise base64, so a malformed record survives an export byte for byte.
 */
record Encoded(String text, String encoding) {
    static final String UTF8 = "utf8";
    static final String BASE64 = "base64";

    static Encoded of(byte[] bytes) {
        if (bytes == null) {
            return new Encoded(null, null);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return new Encoded(text, UTF8);
        } catch (CharacterCodingException e) {
            return new Encoded(Base64.getEncoder().encodeToString(bytes), BASE64);
        }
    }

    byte[] bytes() {
        if (text == null) {
            return null;
        }
        return BASE64.equals(encoding) ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
    }
}

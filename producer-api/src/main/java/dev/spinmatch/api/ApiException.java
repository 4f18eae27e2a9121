package dev.spinmatch.api;

import java.time.Duration;

/** A request that ends in a known error reply (401, 403, 404, 413, 429, 503...). */
final class ApiException extends RuntimeException {
    private final transient Reply reply;

    private ApiException(Reply reply, String message) {
        super(message, null, false, false);
        this.reply = reply;
    }

    Reply reply() {
        return reply;
    }

    static ApiException unauthorized(String message) {
        return new ApiException(Reply.error(401, "unauthorized", null, message)
                .withHeader("WWW-Authenticate", "Bearer"), message);
    }

    static ApiException forbidden(String message) {
        return new ApiException(Reply.error(403, "forbidden", null, message), message);
    }

    static ApiException notFound(String message) {
        return new ApiException(Reply.error(404, "not_found", null, message), message);
    }

    static ApiException tooLarge(int limit) {
        String message = "the request body is larger than " + limit + " bytes";
        return new ApiException(Reply.error(413, "payload_too_large", "body", message), message);
    }

    static ApiException unsupportedMediaType(String contentType) {
        String message = "the request body must be application/json (UTF-8); Content-Type was "
                + (contentType == null ? "missing" : "'" + contentType + "'");
        return new ApiException(Reply.error(415, "unsupported_media_type", "Content-Type", message), message);
    }

    static ApiException rateLimited(Duration retryAfter) {
        String message = "too many requests for this user";
        return new ApiException(Reply.error(429, "rate_limited", "userId", message)
                .withHeader("Retry-After", seconds(retryAfter)), message);
    }

    static ApiException unavailable(Duration retryAfter, String message) {
        return new ApiException(Reply.error(503, "unavailable", null, message)
                .withHeader("Retry-After", seconds(retryAfter)), message);
    }

    /** Retry-After is whole seconds, rounded up and at least 1. */
    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return Long.toString(Math.max(1, (millis + 999) / 1000));
    }
}

package dev.spinmatch.simulation;

/** How a crowd's requests reach the API: spinctl's load client, or the JDK's HttpClient in tests. */
@FunctionalInterface
public interface Transport {
    /** Sends one request with the bearer token; {@code jsonBody} may be null. Must not block. */
    void send(String method, String path, String jsonBody, Answer answer);

    /** The outcome of one request. */
    interface Answer {
        void onStatus(int status);

        /** No response; {@code kind} names why (connect_failed, timeout...). */
        void onFailure(String kind);
    }
}

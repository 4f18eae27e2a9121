package dev.spinmatch.spinctl.http;

/**
 * Receives the outcome of one request. Called on the client's I/O thread: keep it short and never
 * block (hand heavy work to another thread).
 */
public interface ResponseHandler {
    void onResponse(int status, byte[] body);

    /** The request failed without a response; {@code kind} names why (connect_failed, connection_closed...). */
    void onFailure(String kind);
}

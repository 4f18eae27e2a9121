package dev.spinmatch.spinctl.up;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;

/** The API's port on this machine: a busy one is reported before anything starts, with how to pick another. */
final class ApiPort {
    private ApiPort() {
    }

    /** Port 0 (any free one) always passes. */
    static void requireFree(int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw busy(port, e);
        }
    }

    /** The error to report when starting the API failed because its port was taken meanwhile. */
    static Optional<IllegalStateException> inUse(int port, Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return Optional.of(busy(port, error));
            }
        }
        return Optional.empty();
    }

    private static IllegalStateException busy(int port, Throwable cause) {
        return new IllegalStateException("port " + port + " is in use (" + cause.getMessage()
                + "): pick another with --api-port N, or --api-port 0 for any free port", cause);
    }
}

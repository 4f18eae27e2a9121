package dev.spinmatch.api;

import dev.spinmatch.publisher.TraceIds;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The last handler: a JSON 404 for any path no other handler took. */
final class NotFound extends Handler.Abstract.NonBlocking {
    private final ApiMetrics metrics;

    NotFound(ApiMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        Reply reply = Reply.error(404, "not_found", null, "no such resource: " + Request.getPathInContext(request));
        Router.write(reply, TraceIds.generate(), response, callback);
        metrics.request(request.getMethod(), "unmatched", 404, Duration.ofNanos(System.nanoTime() - started));
        return true;
    }
}

package dev.spinmatch.api;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer-api, in-process: {@code ApiServer.start(options)} binds (port 0 picks a free one), and
 * {@link #port()} tells where. {@link #close()} is the graceful stop SIGTERM triggers: stop accepting,
 * let in-flight requests finish (at most {@code api.shutdown-drain}), flush the producer, close.
 *
 * <p>Handlers run in order: the JSON API {@link Router}, then any further handlers (static pages, an SSE
 * stream: add them to {@link #handlers}), then a JSON 404.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private final Server server;
    private final Backends backends;
    private final ApiOptions options;
    private final ApiMetrics metrics;
    private final BlockingCalls blocking;

    private ApiServer(Server server, Backends backends, ApiOptions options, ApiMetrics metrics, BlockingCalls blocking) {
        this.server = server;
        this.backends = backends;
        this.options = options;
        this.metrics = metrics;
        this.blocking = blocking;
    }

    /** Starts the API against the Kafka and PostgreSQL named in {@code options}. */
    public static ApiServer start(ApiOptions options) throws Exception {
        return start(options, Backends.connect(options));
    }

    static ApiServer start(ApiOptions options, Backends backends) throws Exception {
        if (options.tokens().equals(ApiOptions.DEV_TOKENS)) {
            log.warn("api.tokens is not set: the well-known development token is accepted; set it in production");
        }
        ApiMetrics metrics = new ApiMetrics();
        BlockingCalls blocking = new BlockingCalls(options.dbPoolSize(), options.retryAfter());
        Server server = new Server(threadPool(options));
        server.addConnector(connector(server, options));
        server.setHandler(new GracefulHandler(new Handler.Sequence(
                handlers(options, backends, metrics, server.getThreadPool(), blocking))));
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(options.shutdownDrain().toMillis());
        server.setStopAtShutdown(false);
        server.start();
        return new ApiServer(server, backends, options, metrics, blocking);
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public URI uri() {
        return URI.create("http://localhost:" + port());
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        log.info("stopping: no new connections, draining in-flight requests for at most {}", options.shutdownDrain());
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("stopping the HTTP server failed", e);
        }
        blocking.close(options.shutdownDrain());
        backends.close(options.shutdownDrain());
        metrics.close();
        log.info("stopped");
    }

    private static List<Handler> handlers(ApiOptions options, Backends backends, ApiMetrics metrics,
            Executor replies, BlockingCalls blocking) {
        Router router = new Router(routes(options, backends, metrics, replies, blocking),
                Tokens.parse(options.tokens()), options.maxBodyBytes(), metrics);
        return List.of(router, new NotFound(metrics));
    }

    /** The routes; those that wait on the database or a probe run on {@code blocking}, never on Jetty's threads. */
    static List<Route> routes(ApiOptions options, Backends backends, ApiMetrics metrics, Executor replies,
            BlockingCalls blocking) {
        RateLimiter limiter = new RateLimiter(options.rateLimitPerSecond(), options.rateLimitBurst(), System::nanoTime);
        SpinEndpoints spins = new SpinEndpoints(backends.publisher(), limiter, metrics, options.retryAfter(), replies);
        StateEndpoints state = new StateEndpoints(backends.state());
        EventEndpoints events = new EventEndpoints(backends.state(), backends.progress(), options.requestsTopic());
        Health health = new Health(backends.probes());
        StaticDocuments documents = new StaticDocuments();
        DashboardEndpoints dashboard = new DashboardEndpoints(backends.dashboard());
        return List.of(
                new Route("POST", "/v1/spins", Action.SPIN, Set.of(), spins::spin),
                new Route("DELETE", "/v1/spins/{spinId}", Action.CANCEL, Set.of("userId"), spins::cancel),
                new Route("GET", "/v1/spins/{spinId}", Action.READ, Set.of(), blocking.offload(state::spin)),
                new Route("POST", "/v1/matches/{matchId}/end", Action.END, Set.of(), spins::end),
                new Route("GET", "/v1/matches/{matchId}", Action.READ, Set.of(), blocking.offload(state::match)),
                new Route("GET", "/v1/events/{eventId}", Action.READ, Set.of("partition", "offset"),
                        blocking.offload(events::event)),
                new Route("GET", "/v1/users/{userId}", Action.READ, Set.of(), blocking.offload(state::user)),
                new Route("GET", "/healthz", null, Set.of(), health::live),
                new Route("GET", "/readyz", null, Set.of(), blocking.offload(health::ready)),
                new Route("GET", "/metrics", null, Set.of(), new MetricsEndpoint(metrics)::scrape),
                new Route("GET", "/openapi.yaml", null, Set.of(), documents::openapi),
                new Route("GET", "/dashboard", null, Set.of(), documents::dashboardRedirect),
                new Route("GET", "/dashboard/", null, Set.of(), documents::dashboard),
                new Route("GET", "/v1/dashboard/stats", Action.READ, Set.of(), blocking.offload(dashboard::stats)));
    }

    private static QueuedThreadPool threadPool(ApiOptions options) {
        QueuedThreadPool threads = new QueuedThreadPool(options.maxThreads());
        threads.setName("api-http");
        return threads;
    }

    private static ServerConnector connector(Server server, ApiOptions options) {
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(options.maxHeaderBytes());
        http.setSendServerVersion(false);
        // malformed percent-encoding reaches the Router, which names the part and what is wrong (a 400 either way)
        http.setUriCompliance(UriCompliance.DEFAULT.with("api", UriCompliance.Violation.BAD_PERCENT_ENCODING,
                UriCompliance.Violation.BAD_UTF8_ENCODING));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        connector.setIdleTimeout(options.idleTimeout().toMillis());
        return connector;
    }
}

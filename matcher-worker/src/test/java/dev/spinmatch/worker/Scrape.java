package dev.spinmatch.worker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads a worker's /metrics over HTTP, as Prometheus would. */
final class Scrape {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Scrape() {
    }

    static String metrics(Worker worker) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sum of every sample of {@code name} whose labels contain {@code labelFragment} ("" for all). */
    static double value(Worker worker, String name, String labelFragment) {
        double sum = 0;
        for (String line : metrics(worker).split("\n")) {
            if (line.startsWith(name + "{") && line.contains(labelFragment)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The largest sample of {@code name} (0 when there is none). */
    static double max(Worker worker, String name) {
        double max = 0;
        for (String line : metrics(worker).split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                max = Math.max(max, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return max;
    }
}

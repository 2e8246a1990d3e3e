package io.orderpipeline.shared;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Waits for the schema registry to answer before a service starts reading or writing Avro: a Streams app whose first
 * records meet an unreachable registry would send them to its dead-letter queue (write side) or skip them (read
 * side). Asks Apicurio's {@code GET <url>/system/info} until it answers {@code 200}, through {@link StartupWait}.
 */
public final class RegistryProbe {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private final StartupWait wait;

    public RegistryProbe(StartupWait wait) {
        this.wait = wait;
    }

    /**
     * Returns once the registry at {@code registryUrl} (the v2 API) answers.
     *
     * @throws IllegalStateException if it does not within the start-up timeout
     */
    public void awaitUp(String registryUrl) {
        URI info = URI.create(registryUrl.replaceAll("/+$", "") + "/system/info");
        wait.run("the schema registry at " + registryUrl + " (orders.registry.url)", () -> {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(info).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new IOException("the registry answered " + response.statusCode() + " on " + info);
            }
        });
    }
}

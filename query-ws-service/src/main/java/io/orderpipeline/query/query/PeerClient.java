package io.orderpipeline.query.query;

import io.orderpipeline.query.view.LocalPage;
import io.orderpipeline.query.view.LocalPositions;
import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.query.view.PageQuery;
import io.orderpipeline.query.view.QueryProperties;
import io.orderpipeline.query.view.StoreUnavailableException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks another query instance for its local copy of some partitions ({@link InternalQueryController}). Calls are
 * asynchronous and bounded by {@code orders.query.peer-timeout}; any failure (refused, timed out, 5xx) surfaces as
 * {@link StoreUnavailableException} so the caller can move on to the next copy. Every call carries the caller's own
 * bearer token: the peer authenticates it and applies the caller's rules, as if the caller had asked it.
 */
@Component
class PeerClient {

    private final HttpClient http;
    private final JsonMapper json;
    private final Duration timeout;

    PeerClient(JsonMapper json, QueryProperties properties) {
        this.json = json;
        this.timeout = properties.peerTimeout();
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    CompletableFuture<Optional<OrderView>> find(HostInfo host, String orderId, int partition, String token) {
        URI uri = URI.create(base(host) + "/internal/orders/" + encode(orderId) + "?partition=" + partition);
        return send(uri, token).thenApply(response -> switch (response.statusCode()) {
            case 200 -> Optional.of(json.readValue(response.body(), OrderView.class));
            case 404 -> Optional.<OrderView>empty();
            default -> throw unavailable(host, response);
        });
    }

    CompletableFuture<LocalPage> page(HostInfo host, PageQuery query, Collection<Integer> partitions, String token) {
        StringJoiner params = new StringJoiner("&", "?", "");
        params.add("partitions=" + partitions.stream().map(String::valueOf).collect(Collectors.joining(",")));
        params.add("count=" + query.count());
        if (query.accounts() != null) {
            // an empty set too: the peer then lists nothing rather than everything the token grants
            params.add("accounts=" + query.accounts().size());
            query.accounts().stream().sorted().forEach(account -> params.add("account=" + encode(account)));
        }
        if (query.status() != null) {
            params.add("status=" + encode(query.status()));
        }
        if (query.symbol() != null) {
            params.add("symbol=" + encode(query.symbol()));
        }
        if (query.after() != null) {
            params.add("after=" + encode(query.after()));
        }
        URI uri = URI.create(base(host) + "/internal/orders" + params);
        return send(uri, token).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw unavailable(host, response);
            }
            return json.readValue(response.body(), LocalPage.class);
        });
    }

    CompletableFuture<LocalPositions> positions(
            HostInfo host, String accountId, Collection<Integer> partitions, String token) {
        URI uri = URI.create(base(host) + "/internal/accounts/" + encode(accountId) + "/positions?partitions="
                + partitions.stream().map(String::valueOf).collect(Collectors.joining(",")));
        return send(uri, token).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw unavailable(host, response);
            }
            return json.readValue(response.body(), LocalPositions.class);
        });
    }

    private CompletableFuture<HttpResponse<byte[]>> send(URI uri, String token) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).exceptionally(failure -> {
            throw new StoreUnavailableException("peer " + uri.getAuthority() + " did not answer: " + failure);
        });
    }

    private static StoreUnavailableException unavailable(HostInfo host, HttpResponse<byte[]> response) {
        return new StoreUnavailableException(
                "peer " + host.host() + ":" + host.port() + " answered " + response.statusCode());
    }

    private static String base(HostInfo host) {
        return "http://" + host.host() + ":" + host.port();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

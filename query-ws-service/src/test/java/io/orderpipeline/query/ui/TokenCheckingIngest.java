package io.orderpipeline.query.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orderpipeline.infra.Ports;
import io.orderpipeline.query.support.Orders;
import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for ingest-api's {@code POST /orders}, {@code POST /orders/{id}/cancel} and {@code PATCH /orders/{id}}
 * (there is no ingest-api or stream-processor in this module): it
 * checks the forwarded bearer token as ingest-api does (signature and issuer against the real issuer, {@code
 * orders:write}, the account among the token's {@code accounts}; 401 / 403 otherwise), records who submitted what, and
 * writes the order's PENDING and then PLACED state to the state topic on the real broker, as the pipeline would. Order
 * ids are routed to their account ({@link OrderRouting#route}), as ingest-api makes them. A cancel or amend is only
 * recorded and answered 202 (what the pipeline then does is not this fake's business); so are the operators'
 * {@code /admin/**} replays and re-drives ({@code orders:admin}).
 */
final class TokenCheckingIngest implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One accepted order: the token's subject and the request body. */
    record Submission(String subject, String orderId, JsonNode order) {}

    /** One accepted cancel or amend: the token's subject, method, path and body (empty for a cancel). */
    record Change(String subject, String method, String path, String body) {}

    private final HttpServer server;
    private final JwtDecoder decoder;
    private final Orders orders;
    private final ExecutorService pipeline = Executors.newSingleThreadExecutor();
    private final List<Submission> submissions = new CopyOnWriteArrayList<>();
    private final List<Change> changes = new CopyOnWriteArrayList<>();
    private final List<Change> adminRequests = new CopyOnWriteArrayList<>();

    TokenCheckingIngest(String issuerUri, Orders orders) throws IOException {
        this.decoder = NimbusJwtDecoder.withIssuerLocation(issuerUri).build();
        this.orders = orders;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", Ports.free()), 0);
        server.createContext("/orders", this::handle);
        server.createContext("/admin", this::admin);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Submission> submissions() {
        return submissions;
    }

    List<Change> changes() {
        return changes;
    }

    /** Accepted operator requests (replays, re-drives), oldest first. */
    List<Change> adminRequests() {
        return adminRequests;
    }

    /**
     * ingest-api's operator endpoints: {@code orders:admin} (403 otherwise), recorded. A bulk replay answers 202 with its
     * counts as ingest-api does ({@code {"counts":{"REPLAY_REQUESTED":n},"items":[…]}}); a re-drive is 202 the first time per ref and 409 after, as
     * ingest-api's exactly-once mark makes it.
     */
    private void admin(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Jwt token;
        try {
            token = decoder.decode(authorization == null ? "" : authorization.replaceFirst("^Bearer ", ""));
        } catch (JwtException e) {
            reply(exchange, 401, "{\"title\":\"Unauthorized\"}");
            return;
        }
        List<String> scopes = token.getClaimAsStringList("scope");
        if (scopes == null || !scopes.contains("orders:admin")) {
            reply(exchange, 403, "{\"title\":\"Forbidden\"}");
            return;
        }
        Change request = new Change(token.getSubject(), exchange.getRequestMethod(), path, body);
        if (path.equals("/admin/orders/replay")) {
            adminRequests.add(request);
            int ids = JSON.readTree(body).get("orderIds").size();
            reply(exchange, 202, "{\"counts\":{\"REPLAY_REQUESTED\":" + ids + "},\"items\":[]}");
        } else if (path.endsWith("/redrive")) {
            boolean first = adminRequests.stream().noneMatch(r -> r.path().equals(path));
            adminRequests.add(request);
            reply(exchange, first ? 202 : 409, first ? "{\"status\":\"REDRIVEN\"}" : "{\"title\":\"Conflict\"}");
        } else {
            adminRequests.add(request);
            reply(exchange, 202, "{\"orderId\":\"" + path.split("/")[3] + "\",\"status\":\"REPLAY_REQUESTED\"}");
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!path.equals("/orders")) {
            change(exchange, path);
            return;
        }
        JsonNode order = JSON.readTree(exchange.getRequestBody());
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Jwt token;
        try {
            if (authorization == null || !authorization.startsWith("Bearer ")) {
                throw new JwtException("no bearer token");
            }
            token = decoder.decode(authorization.substring("Bearer ".length()));
        } catch (JwtException e) {
            reply(exchange, 401, "{\"title\":\"Unauthorized\",\"detail\":\"" + e.getMessage() + "\"}");
            return;
        }
        String accountId = order.get("accountId").asString();
        List<String> accounts = token.getClaimAsStringList("accounts");
        List<String> scopes = token.getClaimAsStringList("scope");
        if (scopes == null || !scopes.contains("orders:write") || accounts == null || !accounts.contains(accountId)) {
            reply(exchange, 403, "{\"title\":\"Forbidden\",\"detail\":\"not your account\"}");
            return;
        }
        String orderId = OrderRouting.route(UUID.randomUUID(), accountId).toString();
        submissions.add(new Submission(token.getSubject(), orderId, order));
        Instant created = Instant.now();
        orders.send(state(orderId, order, OrderStatus.PENDING, 1, created));
        exchange.getResponseHeaders().add("Location", "/orders/" + orderId);
        reply(exchange, 202, "{\"orderId\":\"" + orderId + "\",\"status\":\"PENDING\"}");
        // the "exchange" accepts it a moment later
        pipeline.execute(() -> orders.send(state(orderId, order, OrderStatus.PLACED, 2, created)));
    }

    private void change(HttpExchange exchange, String path) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Jwt token;
        try {
            token = decoder.decode(authorization == null ? "" : authorization.replaceFirst("^Bearer ", ""));
        } catch (JwtException e) {
            reply(exchange, 401, "{\"title\":\"Unauthorized\"}");
            return;
        }
        List<String> scopes = token.getClaimAsStringList("scope");
        if (scopes == null || !scopes.contains("orders:write")) {
            reply(exchange, 403, "{\"title\":\"Forbidden\"}");
            return;
        }
        changes.add(new Change(token.getSubject(), exchange.getRequestMethod(), path, body));
        String orderId = path.split("/")[2];
        String status = path.endsWith("/cancel") ? "CANCEL_REQUESTED" : "AMEND_REQUESTED";
        reply(exchange, 202, "{\"orderId\":\"" + orderId + "\",\"status\":\"" + status + "\"}");
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders()
                .add("Content-Type", status < 300 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The state of an order as the request describes it. */
    static OrderState state(String orderId, JsonNode request, OrderStatus status, long version, Instant at) {
        JsonNode price = request.get("price");
        return OrderState.newBuilder()
                .setOrderId(orderId)
                .setAccountId(request.get("accountId").asString())
                .setClientOrderId(request.path("clientOrderId").asString(null))
                .setSymbol(request.get("symbol").asString())
                .setSide(Side.valueOf(request.get("side").asString()))
                .setOrderType(OrderType.valueOf(request.get("orderType").asString()))
                .setQuantity(request.get("quantity").asLong())
                .setPrice(price == null || price.isNull() ? null : new BigDecimal(price.asString()).setScale(6))
                .setStatus(status)
                .setVersion(version)
                .setAttempts(status == OrderStatus.PLACED ? 1 : 0)
                .setReasons(List.of())
                .setExchangeOrderId(status == OrderStatus.PLACED ? "SIM-" + orderId.substring(0, 8) : null)
                .setCreatedAt(at)
                .setUpdatedAt(Instant.now())
                .build();
    }

    /** An order for {@code accountId} that was placed without the page (routed id, PLACED, version 2). */
    static OrderState placed(String accountId, String symbol) {
        JsonNode request = JSON.createObjectNode()
                .put("accountId", accountId)
                .put("symbol", symbol)
                .put("side", "BUY")
                .put("orderType", "LIMIT")
                .put("quantity", 10)
                .put("price", "100.5");
        return state(
                OrderRouting.route(UUID.randomUUID(), accountId).toString(),
                request,
                OrderStatus.PLACED,
                2,
                Instant.now());
    }

    @Override
    public void close() {
        server.stop(0);
        pipeline.shutdownNow();
    }
}

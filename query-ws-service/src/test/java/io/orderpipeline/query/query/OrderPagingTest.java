package io.orderpipeline.query.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OrderPagingTest {

    private static final String TOPIC = "orders.state.paging-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] SYMBOLS = {"AAPL", "MSFT", "GOOGL", "AMZN", "NVDA"};
    private static final int ORDERS = 3000;
    private static final Instant BASE = Instant.parse("2026-03-01T10:00:00Z");

    private static QueryInstance instance;
    private static Orders orders;
    private static final Map<String, OrderState> initial = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        instance = QueryInstance.start(
                TOPIC, "query-paging-" + UUID.randomUUID(), Files.createTempDirectory("query-paging"), Map.of());
        orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), TOPIC);
        for (int i = 0; i < ORDERS; i++) {
            String orderId = String.format("o-%05d-%s", i, UUID.randomUUID());
            // three orders per millisecond: ties are broken by order id
            Instant created = BASE.plusMillis(i / 3);
            OrderStatus status = i % 3 == 0 ? OrderStatus.PLACED : OrderStatus.PENDING;
            OrderState state = Orders.state(orderId, SYMBOLS[i % SYMBOLS.length], status, 1, created);
            initial.put(orderId, state);
            orders.sendAsync(state);
        }
        orders.flush();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions() // 503 while the stores start
                .until(() -> walk("", 500).size() == ORDERS);
    }

    @AfterAll
    static void stop() {
        if (orders != null) {
            orders.close();
        }
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void shouldWalkEveryOrderExactlyOnceNewestFirstWhileOrdersArriveAndChange() {
        // given a writer that adds new orders and moves existing ones to another status during the walk
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        List<String> ids = initial.values().stream()
                .filter(s -> s.getStatus() == OrderStatus.PENDING)
                .map(OrderState::getOrderId)
                .toList();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            int n = 0;
            while (writing.get() && n < 2000) {
                String newId = "new-" + UUID.randomUUID();
                orders.sendAsync(Orders.state(newId, "AAPL", OrderStatus.PENDING, 1, Instant.now()));
                OrderState existing = initial.get(ids.get(n % ids.size()));
                orders.sendAsync(Orders.state(
                        existing.getOrderId(), existing.getSymbol(), OrderStatus.RETRYING, 2, existing.getCreatedAt()));
                if (++n % 50 == 0) {
                    orders.flush();
                }
                written.incrementAndGet();
            }
            orders.flush();
        });

        // when
        List<JsonNode> walked;
        try {
            walked = walk("", 100);
        } finally {
            writing.set(false);
            writer.join();
        }

        // then
        assertThat(written.get()).isPositive();
        List<String> walkedIds =
                walked.stream().map(o -> o.get("orderId").asString()).toList();
        assertThat(walkedIds).doesNotHaveDuplicates();
        // every order that existed for the whole walk, exactly once; orders created meanwhile sort before the cursor
        // and may only appear if they were there before the first page
        assertThat(walkedIds.stream().filter(initial::containsKey))
                .containsExactlyInAnyOrderElementsOf(initial.keySet());
        assertThat(walkedIds.stream().filter(id -> !initial.containsKey(id))).allMatch(id -> id.startsWith("new-"));
        assertThat(walked).isSortedAccordingTo(NEWEST_FIRST);
    }

    @Test
    void shouldPageThroughAFilterWithoutGapsOrDuplicates() {
        // given
        Set<String> expected = new HashSet<>();
        initial.values().stream()
                .filter(s -> s.getSymbol().equals("AAPL"))
                .filter(s -> s.getStatus() == OrderStatus.PLACED)
                .forEach(s -> expected.add(s.getOrderId()));

        // when
        List<JsonNode> bySymbolAndStatus = walk("&symbol=AAPL&status=PLACED", 37);
        List<JsonNode> bySymbol = walk("&symbol=MSFT", 250);

        // then
        assertThat(bySymbolAndStatus)
                .extracting(o -> o.get("orderId").asString())
                .containsExactlyInAnyOrderElementsOf(expected)
                .doesNotHaveDuplicates();
        assertThat(bySymbolAndStatus).isSortedAccordingTo(NEWEST_FIRST);
        assertThat(bySymbol)
                .hasSize(ORDERS / SYMBOLS.length)
                .allSatisfy(o -> assertThat(o.get("symbol").asString()).isEqualTo("MSFT"));
        assertThat(bySymbol).isSortedAccordingTo(NEWEST_FIRST);
    }

    @Test
    void shouldServeAnOffsetPageForTheSimpleCase() {
        // given (a filter no concurrent writer touches)
        List<JsonNode> firstFive = walkPages("&symbol=GOOGL", 50, 5);

        // when
        JsonNode page =
                JSON.readTree(get("/orders?symbol=GOOGL&offset=100&limit=50").body());

        // then
        assertThat(page.get("items"))
                .extracting(o -> o.get("orderId").asString())
                .containsExactlyElementsOf(firstFive.subList(100, 150).stream()
                        .map(o -> o.get("orderId").asString())
                        .toList());
        assertThat(page.get("nextCursor").isString()).isTrue();
    }

    @Test
    void shouldRejectInvalidPagingParametersWithProblemDetails() {
        assertProblem("/orders?cursor=not-a-cursor", "cursor");
        assertProblem("/orders?limit=0", "limit");
        assertProblem("/orders?limit=100000", "limit");
        assertProblem("/orders?status=SHIPPED", "status");
        assertProblem("/orders?offset=-1", "offset");
    }

    private static void assertProblem(String path, String parameter) {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).get("errors").has(parameter))
                .as(path)
                .isTrue();
    }

    private static final Comparator<JsonNode> NEWEST_FIRST = Comparator.<JsonNode, Instant>comparing(
                    o -> Instant.parse(o.get("createdAt").asString()))
            .reversed()
            .thenComparing(o -> o.get("orderId").asString());

    /** Every page of a listing, following nextCursor to the end. */
    private static List<JsonNode> walk(String filter, int limit) {
        return walkPages(filter, limit, Integer.MAX_VALUE);
    }

    private static List<JsonNode> walkPages(String filter, int limit, int maxPages) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < maxPages; pages++) {
            String query = "/orders?limit=" + limit + filter
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> response = get(query);
            assertThat(response.statusCode())
                    .as(query + " -> " + response.body())
                    .isEqualTo(200);
            JsonNode page = JSON.readTree(response.body());
            page.get("items").forEach(all::add);
            assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
            JsonNode next = page.get("nextCursor");
            if (next == null || next.isNull()) {
                break;
            }
            cursor = next.asString();
        }
        return all;
    }

    private static HttpResponse<String> get(String path) {
        return instance.get(path);
    }
}

package io.orderpipeline.query.view;

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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The listing indexes have no changelog: each active task rebuilds them from orders-by-id when it starts. After a
 * start with no local state (orders-by-id restored from {@code orders.state}), and after a restart over the state
 * directory of an earlier run whose orders-by-id is then restored past what its index stores saw, every listing is
 * exact and answered from the indexes, which hold one entry per order and nothing left over from the earlier run.
 */
class IndexRebuildTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] SYMBOLS = {"AAPL", "MSFT", "NVDA"};
    private static final int PARTITIONS = 3;

    private final String topic = "orders.state.rebuild-" + UUID.randomUUID();
    private final String applicationId = "query-rebuild-" + UUID.randomUUID();
    private final Map<String, OrderState> latest = new LinkedHashMap<>();
    private QueryInstance instance;

    @AfterEach
    void stop() {
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void shouldListExactlyTheCurrentStatesAfterRestartsOverEmptyAndOutdatedState() throws Exception {
        Path first = Files.createTempDirectory("query-rebuild-a");
        Instant base = Instant.now().minusSeconds(600);
        try (Orders orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), topic)) {
            // given a first run, over state directory A, that indexed 60 pending orders
            instance = QueryInstance.start(topic, applicationId, first, Map.of());
            newOrders(orders, 0, 60, base);
            awaitListingsMatch();
            instance.close();
            instance = null;

            // and, while it is down, a third of them is placed and a sixth fails
            changeSome(orders, 3, OrderStatus.PLACED);

            // when the application starts over an empty state directory B
            instance =
                    QueryInstance.start(topic, applicationId, Files.createTempDirectory("query-rebuild-b"), Map.of());

            // then orders-by-id is restored from orders.state and every listing is exact, from the indexes
            awaitListingsMatch();
            assertIndexedExactly();

            // when B processes more changes and stops, and the application restarts over A: its orders-by-id is
            // restored past what A's index stores on disk saw (the restore does not pass through the indexer)
            changeSome(orders, 4, OrderStatus.FAILED);
            newOrders(orders, 60, 75, base);
            awaitListingsMatch();
            instance.close();
            instance = null;
            instance = QueryInstance.start(topic, applicationId, first, Map.of());

            // then the indexes are rebuilt: exact listings, one entry per order, nothing left from A's first run
            awaitListingsMatch();
            assertIndexedExactly();
        }
    }

    private void newOrders(Orders orders, int from, int to, Instant base) {
        for (int i = from; i < to; i++) {
            String orderId = String.format("r-%03d-%s", i, UUID.randomUUID());
            write(orders, Orders.state(orderId, SYMBOLS[i % 3], OrderStatus.PENDING, 1, base.plusMillis(i)));
        }
        orders.flush();
    }

    /** Moves every {@code nth} order to {@code status}, one version up. */
    private void changeSome(Orders orders, int nth, OrderStatus status) {
        List<String> ids = new ArrayList<>(latest.keySet());
        for (int i = 0; i < ids.size(); i += nth) {
            OrderState state = latest.get(ids.get(i));
            write(
                    orders,
                    OrderState.newBuilder(state)
                            .setStatus(status)
                            .setVersion(state.getVersion() + 1)
                            .build());
        }
        orders.flush();
    }

    private void write(Orders orders, OrderState state) {
        latest.put(state.getOrderId(), state);
        orders.sendAsync(state);
    }

    /** Waits until every index is built here, then checks each listing against the states written. */
    private void awaitListingsMatch() {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(this::allIndexesBuilt);
        LocalOrderStore local = instance.bean(LocalOrderStore.class);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    long fullScans = local.fullScans();
                    assertThat(list("")).containsExactlyElementsOf(expected(null, null));
                    for (String status : new String[] {"PENDING", "PLACED", "FAILED"}) {
                        assertThat(list("status=" + status))
                                .as(status)
                                .containsExactlyElementsOf(expected(status, null));
                        for (String symbol : SYMBOLS) {
                            assertThat(list("symbol=" + symbol))
                                    .as(symbol)
                                    .containsExactlyElementsOf(expected(null, symbol));
                            assertThat(list("status=" + status + "&symbol=" + symbol))
                                    .as(status + " " + symbol)
                                    .containsExactlyElementsOf(expected(status, symbol));
                        }
                    }
                    assertThat(local.fullScans())
                            .as("pages read from orders-by-id")
                            .isEqualTo(fullScans);
                });
    }

    private boolean allIndexesBuilt() {
        OrderViewStreams streams = instance.bean(OrderViewStreams.class);
        KafkaStreams client = streams.streamsOrNull();
        if (client == null || client.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        for (int p = 0; p < PARTITIONS; p++) {
            if (!streams.indexReadiness().isBuilt(p)) {
                return false;
            }
        }
        return true;
    }

    /** Each index holds exactly the entry of every order's current state, none of an earlier one. */
    private void assertIndexedExactly() {
        KafkaStreams client = instance.bean(OrderViewStreams.class).streams();
        for (Index index : Index.values()) {
            ReadOnlyKeyValueStore<String, String> store = client.store(
                    StoreQueryParameters.fromNameAndType(index.storeName(), QueryableStoreTypes.keyValueStore()));
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, String> all = store.all()) {
                all.forEachRemaining(entry -> keys.add(entry.key));
            }
            List<String> wanted = latest.values().stream()
                    .map(state -> IndexKeys.entriesOf(OrderView.from(state)).get(index))
                    .toList();
            assertThat(keys).as(index.name()).containsExactlyInAnyOrderElementsOf(wanted);
        }
    }

    /** Order ids of the states written, in listing order (newest first). */
    private List<String> expected(String status, String symbol) {
        return latest.values().stream()
                .filter(s -> status == null || s.getStatus().name().equals(status))
                .filter(s -> symbol == null || s.getSymbol().equals(symbol))
                .sorted((a, b) -> IndexKeys.sortKey(a.getCreatedAt().toEpochMilli(), a.getOrderId())
                        .compareTo(IndexKeys.sortKey(b.getCreatedAt().toEpochMilli(), b.getOrderId())))
                .map(OrderState::getOrderId)
                .toList();
    }

    /** Every page of one listing, following the cursors. */
    private List<String> list(String filter) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            String query = "/orders?limit=7" + (filter.isEmpty() ? "" : "&" + filter)
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> response = instance.get(query);
            assertThat(response.statusCode()).as(query + " " + response.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(response.body());
            page.get("items").forEach(item -> ids.add(item.get("orderId").asString()));
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asString();
        } while (cursor != null);
        return ids;
    }
}

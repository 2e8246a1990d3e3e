package io.orderpipeline.query.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.query.view.LocalOrderStore;
import io.orderpipeline.query.view.LocalPositions;
import io.orderpipeline.query.view.OrderViewStreams;
import io.orderpipeline.query.view.OrderViewTopology;
import io.orderpipeline.schemas.avro.Fill;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Positions with two query instances: an account's orders sit on every partition of {@code orders.state} (it is keyed
 * by order id), each instance is active for some of them, so a position is only right if both instances' parts are
 * summed — whichever instance is asked.
 */
class TwoInstancesPositionsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ORDERS = 30;

    private final String topic = "orders.state.two-positions-" + UUID.randomUUID();
    private final String applicationId = "query-two-positions-" + UUID.randomUUID();
    private final Map<String, String> settings = Map.of("orders.query.standby-replicas", "1");
    private QueryInstance a;
    private QueryInstance b;

    @AfterEach
    void stop() {
        for (QueryInstance instance : new QueryInstance[] {a, b}) {
            if (instance != null) {
                instance.close();
            }
        }
    }

    @Test
    void shouldSumTheFillsOfEveryPartitionWhicheverInstanceIsAsked() throws Exception {
        // given two instances, each active for some partitions and standby for the others
        a = QueryInstance.start(topic, applicationId, Files.createTempDirectory("query-pos-a"), settings);
        b = QueryInstance.start(topic, applicationId, Files.createTempDirectory("query-pos-b"), settings);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> splitWithStandbys(a) && splitWithStandbys(b));
        // and acc-1's filled orders (two thirds buys, one third sells) plus one of acc-3's
        Instant base = Instant.now().minusSeconds(600);
        long bought = 0;
        long sold = 0;
        BigDecimal buyNotional = BigDecimal.ZERO;
        List<OrderState> states = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            Side side = i % 3 == 0 ? Side.SELL : Side.BUY;
            long quantity = 10 + i;
            String price = "100." + (10 + i);
            Fill fill = Orders.fill("X-" + i, quantity, price, base.plusSeconds(i));
            OrderState placed =
                    Orders.state(Orders.routedId("acc-1"), "acc-1", "AAPL", OrderStatus.PLACED, 2, base.plusMillis(i));
            states.add(Orders.filled(placed, side, OrderStatus.PARTIALLY_FILLED, 3, fill));
            if (side == Side.BUY) {
                bought += quantity;
                buyNotional = buyNotional.add(new BigDecimal(price).multiply(BigDecimal.valueOf(quantity)));
            } else {
                sold += quantity;
            }
        }
        OrderState foreign = Orders.filled(
                Orders.state(Orders.routedId("acc-3"), "acc-3", "AAPL", OrderStatus.PLACED, 2, base),
                Side.BUY,
                OrderStatus.FILLED,
                3,
                Orders.fill("Y-1", 100, "1", base));
        states.add(foreign);
        try (Orders orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), topic)) {
            states.forEach(orders::sendAsync);
            orders.flush();
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> states.stream()
                        .allMatch(s -> a.get("/orders/" + s.getOrderId()).body().contains("\"version\":3")));
        assertThat(states.stream().map(s -> partitionOwner(s.getOrderId())).distinct())
                .as("the account's orders are served by both instances")
                .hasSize(2);

        // when trader-1 asks either instance for acc-1's positions
        for (QueryInstance instance : List.of(a, b)) {
            HttpResponse<String> response = instance.get("/accounts/acc-1/positions", TestIssuer.trader1());

            // then every fill of every partition is in it, and none of another account
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode positions = JSON.readTree(response.body()).get("positions");
            assertThat(positions).hasSize(1);
            JsonNode aapl = positions.get(0);
            assertThat(aapl.get("buyQuantity").asLong()).isEqualTo(bought);
            assertThat(aapl.get("sellQuantity").asLong()).isEqualTo(sold);
            assertThat(aapl.get("netQuantity").asLong()).isEqualTo(bought - sold);
            assertThat(aapl.get("fills").asLong()).isEqualTo(ORDERS);
            assertThat(new BigDecimal(aapl.get("averageCost").asString()))
                    .isEqualByComparingTo(buyNotional.divide(BigDecimal.valueOf(bought), 6, RoundingMode.HALF_EVEN));
            // and the other trader's account stays refused on both
            assertThat(instance.get("/accounts/acc-3/positions", TestIssuer.trader1())
                            .statusCode())
                    .isEqualTo(403);
            assertThat(JSON.readTree(instance.get("/accounts/acc-3/positions", TestIssuer.trader2())
                                    .body())
                            .at("/positions/0/buyQuantity")
                            .asLong())
                    .isEqualTo(100);
        }
        // and a standby copy, which keeps no index, sums the same fills as the active copy of its partitions
        assertStandbysSumLikeActives(a, b);
        assertStandbysSumLikeActives(b, a);
    }

    private static void assertStandbysSumLikeActives(QueryInstance standby, QueryInstance active) {
        Set<Integer> partitions = new HashSet<>();
        for (ThreadMetadata thread :
                standby.bean(OrderViewStreams.class).streams().metadataForLocalThreads()) {
            thread.standbyTasks().forEach(task -> partitions.add(task.taskId().partition()));
        }
        LocalOrderStore standbyStore = standby.bean(LocalOrderStore.class);
        long fullScans = standbyStore.fullScans();
        LocalPositions fromActive = active.bean(LocalOrderStore.class).positions("acc-1", partitions);
        assertThat(fromActive.totals()).isNotEmpty();
        // a standby follows the changelog asynchronously: wait until it has caught up
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            LocalPositions fromStandby = standbyStore.positions("acc-1", partitions);
            assertThat(fromStandby.missingPartitions()).isEmpty();
            assertThat(fromStandby.totals()).isEqualTo(fromActive.totals());
        });
        assertThat(standbyStore.fullScans()).isGreaterThan(fullScans);
    }

    /** Which instance's port is active for the order's partition (as the owner answers key queries). */
    private String partitionOwner(String orderId) {
        KafkaStreams streams = a.bean(OrderViewStreams.class).streams();
        return streams.queryMetadataForKey(
                        OrderViewTopology.ORDERS_BY_ID, orderId, Serdes.String().serializer())
                .activeHost()
                .toString();
    }

    private static boolean splitWithStandbys(QueryInstance instance) {
        KafkaStreams streams = instance.bean(OrderViewStreams.class).streamsOrNull();
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        int active = 0;
        int standby = 0;
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            active += thread.activeTasks().size();
            standby += thread.standbyTasks().size();
        }
        return active > 0 && standby > 0 && active + standby == 3;
    }
}

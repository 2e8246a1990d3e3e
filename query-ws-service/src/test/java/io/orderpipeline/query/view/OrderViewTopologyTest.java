package io.orderpipeline.query.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.OrderTopics;
import io.orderpipeline.schemas.TopicNames;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrderViewTopologyTest {

    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, OrderState> states;

    @BeforeEach
    void setUp() {
        OrderTopics topics = OrderTopics.create(TopicNames.defaults(), AvroSerdes.inMemory());
        Topology topology = OrderViewTopology.build(new OrderViewTopology.Settings(topics.state(), false));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "order-query-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, config);
        states = driver.createInputTopic(
                topics.state().name(),
                new StringSerializer(),
                topics.state().valueSerde().serializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldMaterializeTheLatestStateAndIndexItUnderEveryListing() {
        // given
        OrderState pending = state("o-1", "AAPL", OrderStatus.PENDING, 1, T0);

        // when
        states.pipeInput("o-1", pending);

        // then
        assertThat(store(OrderViewTopology.ORDERS_BY_ID).get("o-1")).isEqualTo(pending);
        String sortKey = IndexKeys.sortKey(T0.toEpochMilli(), "o-1");
        assertThat(entries(OrderViewTopology.ORDERS_BY_CREATED)).containsExactly(KeyValue.pair(sortKey, "o-1"));
        assertThat(entries(OrderViewTopology.ORDERS_BY_STATUS))
                .containsExactly(KeyValue.pair("PENDING\u0000" + sortKey, "o-1"));
        assertThat(entries(OrderViewTopology.ORDERS_BY_SYMBOL))
                .containsExactly(KeyValue.pair("AAPL\u0000" + sortKey, "o-1"));
        assertThat(entries(OrderViewTopology.ORDERS_BY_SYMBOL_STATUS))
                .containsExactly(KeyValue.pair("AAPL\u0000PENDING\u0000" + sortKey, "o-1"));
    }

    @Test
    void shouldMoveTheStatusEntriesWhenTheStatusChanges() {
        // given
        states.pipeInput("o-1", state("o-1", "AAPL", OrderStatus.PENDING, 1, T0));

        // when
        states.pipeInput("o-1", state("o-1", "AAPL", OrderStatus.PLACED, 2, T0));

        // then
        String sortKey = IndexKeys.sortKey(T0.toEpochMilli(), "o-1");
        assertThat(entries(OrderViewTopology.ORDERS_BY_STATUS))
                .containsExactly(KeyValue.pair("PLACED\u0000" + sortKey, "o-1"));
        assertThat(entries(OrderViewTopology.ORDERS_BY_SYMBOL_STATUS))
                .containsExactly(KeyValue.pair("AAPL\u0000PLACED\u0000" + sortKey, "o-1"));
        assertThat(entries(OrderViewTopology.ORDERS_BY_CREATED)).hasSize(1);
        assertThat(store(OrderViewTopology.ORDERS_BY_ID).get("o-1").getVersion())
                .isEqualTo(2);
    }

    @Test
    void shouldIgnoreAnOlderVersionThanTheStoredOne() {
        // given
        states.pipeInput("o-1", state("o-1", "AAPL", OrderStatus.PLACED, 3, T0));

        // when a replayed older state arrives
        states.pipeInput("o-1", state("o-1", "AAPL", OrderStatus.PENDING, 1, T0));

        // then
        assertThat(store(OrderViewTopology.ORDERS_BY_ID).get("o-1").getStatus()).isEqualTo(OrderStatus.PLACED);
        assertThat(entries(OrderViewTopology.ORDERS_BY_STATUS))
                .extracting(kv -> kv.key.substring(0, kv.key.indexOf('\u0000')))
                .containsExactly("PLACED");
    }

    @Test
    void shouldRemoveAnOrderAndItsEntriesOnATombstone() {
        // given
        states.pipeInput("o-1", state("o-1", "AAPL", OrderStatus.PENDING, 1, T0));

        // when
        states.pipeInput("o-1", (OrderState) null);

        // then
        assertThat(store(OrderViewTopology.ORDERS_BY_ID).get("o-1")).isNull();
        for (Index index : Index.values()) {
            assertThat(entries(index.storeName())).as(index.name()).isEmpty();
        }
    }

    @Test
    void shouldOrderIndexEntriesNewestFirstThenByOrderId() {
        // given
        states.pipeInput("b", state("b", "MSFT", OrderStatus.PENDING, 1, T0));
        states.pipeInput("a", state("a", "MSFT", OrderStatus.PENDING, 1, T0));
        states.pipeInput("c", state("c", "MSFT", OrderStatus.PENDING, 1, T0.plusMillis(1)));
        states.pipeInput("d", state("d", "MSFT", OrderStatus.PENDING, 1, T0.minusSeconds(1)));

        // when
        List<String> ids = entries(OrderViewTopology.ORDERS_BY_CREATED).stream()
                .map(kv -> kv.value)
                .toList();

        // then
        assertThat(ids).containsExactly("c", "a", "b", "d");
        assertThat(IndexKeys.createdAtOf(IndexKeys.sortKey(T0.toEpochMilli(), "x")))
                .isEqualTo(T0.toEpochMilli());
    }

    @Test
    void shouldKeepSymbolsThatArePrefixesOfEachOtherApart() {
        // given
        states.pipeInput("1", state("1", "AAPL", OrderStatus.PENDING, 1, T0));
        states.pipeInput("2", state("2", "AAPLX", OrderStatus.PENDING, 1, T0));

        // when
        String prefix = IndexKeys.prefix(Index.SYMBOL, null, "AAPL");
        List<String> found = new ArrayList<>();
        try (KeyValueIterator<String, String> range =
                stringStore(OrderViewTopology.ORDERS_BY_SYMBOL).range(prefix, IndexKeys.upperBound(prefix))) {
            range.forEachRemaining(kv -> found.add(kv.value));
        }

        // then
        assertThat(found).containsExactly("1");
    }

    private KeyValueStore<String, OrderState> store(String name) {
        return driver.getKeyValueStore(name);
    }

    private KeyValueStore<String, String> stringStore(String name) {
        return driver.getKeyValueStore(name);
    }

    private List<KeyValue<String, String>> entries(String storeName) {
        List<KeyValue<String, String>> all = new ArrayList<>();
        try (KeyValueIterator<String, String> iterator = stringStore(storeName).all()) {
            iterator.forEachRemaining(all::add);
        }
        return all;
    }

    private static OrderState state(String orderId, String symbol, OrderStatus status, long version, Instant created) {
        return OrderState.newBuilder()
                .setOrderId(orderId)
                .setAccountId("acc-1")
                .setSymbol(symbol)
                .setSide(Side.BUY)
                .setOrderType(OrderType.LIMIT)
                .setQuantity(10)
                .setPrice(new BigDecimal("10.5").setScale(6))
                .setStatus(status)
                .setVersion(version)
                .setCreatedAt(created)
                .setUpdatedAt(created)
                .build();
    }
}

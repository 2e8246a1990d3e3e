package io.orderpipeline.query.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.schemas.avro.Fill;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OrderViewTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void shouldWriteExactlyTheWireContractFields() {
        // given
        OrderState state = OrderState.newBuilder()
                .setOrderId("o-1")
                .setAccountId("acc-1")
                .setClientOrderId("c-42")
                .setSymbol("AAPL")
                .setSide(Side.BUY)
                .setOrderType(OrderType.LIMIT)
                .setQuantity(100)
                .setPrice(new BigDecimal("187.25").setScale(6))
                .setStatus(OrderStatus.RETRYING)
                .setVersion(3)
                .setAttempts(2)
                .setReasons(List.of("EXCHANGE_TIMEOUT"))
                .setNextAttemptAt(Instant.parse("2026-01-01T00:00:05Z"))
                .setLastError("timeout")
                .setCreatedAt(Instant.parse("2026-01-01T00:00:00.123Z"))
                .setUpdatedAt(Instant.parse("2026-01-01T00:00:01Z"))
                .build();

        // when
        JsonNode json = JSON.readTree(JSON.writeValueAsString(OrderView.from(state)));

        // then
        List<String> fields = new ArrayList<>();
        json.propertyNames().forEach(fields::add);
        assertThat(fields)
                .containsExactly(
                        "orderId",
                        "accountId",
                        "clientOrderId",
                        "symbol",
                        "side",
                        "orderType",
                        "quantity",
                        "price",
                        "status",
                        "version",
                        "attempts",
                        "reasons",
                        "exchangeOrderId",
                        "nextAttemptAt",
                        "lastError",
                        "createdAt",
                        "updatedAt",
                        "filledQuantity",
                        "leavesQuantity",
                        "averagePrice",
                        "fills",
                        "pendingRequest",
                        "pendingQuantity",
                        "pendingPrice");
        assertThat(json.get("price").asString()).isEqualTo("187.25");
        assertThat(json.get("quantity").asLong()).isEqualTo(100);
        assertThat(json.get("createdAt").asString()).isEqualTo("2026-01-01T00:00:00.123Z");
        assertThat(json.get("nextAttemptAt").asString()).isEqualTo("2026-01-01T00:00:05Z");
        assertThat(json.get("exchangeOrderId").isNull()).isTrue();
        assertThat(json.get("reasons").get(0).asString()).isEqualTo("EXCHANGE_TIMEOUT");
        assertThat(json.get("filledQuantity").asLong()).isZero();
        assertThat(json.get("leavesQuantity").isNull()).isTrue();
        assertThat(json.get("averagePrice").isNull()).isTrue();
        assertThat(json.get("fills")).isEmpty();
    }

    @Test
    void shouldWriteFillsAndAPendingAmendWithDecimalsAsPlainStrings() {
        // given a partially filled order with an amend waiting for the venue
        OrderState state = OrderState.newBuilder()
                .setOrderId("o-3")
                .setAccountId("acc-1")
                .setSymbol("AAPL")
                .setSide(Side.BUY)
                .setOrderType(OrderType.LIMIT)
                .setQuantity(100)
                .setPrice(new BigDecimal("187.25").setScale(6))
                .setStatus(OrderStatus.PARTIALLY_FILLED)
                .setVersion(5)
                .setCreatedAt(Instant.EPOCH)
                .setUpdatedAt(Instant.EPOCH)
                .setFilledQuantity(30)
                .setLeavesQuantity(70L)
                .setAveragePrice(new BigDecimal("187.200000"))
                .setFills(List.of(Fill.newBuilder()
                        .setExecutionId("E-1")
                        .setQuantity(30)
                        .setPrice(new BigDecimal("187.200000"))
                        .setExecutedAt(Instant.parse("2026-01-01T00:00:02.5Z"))
                        .build()))
                .setPendingRequest("AMEND")
                .setPendingQuantity(80L)
                .setPendingPrice(new BigDecimal("187.300000"))
                .build();

        // when
        JsonNode json = JSON.readTree(JSON.writeValueAsString(OrderView.from(state)));

        // then
        assertThat(json.get("status").asString()).isEqualTo("PARTIALLY_FILLED");
        assertThat(json.get("filledQuantity").asLong()).isEqualTo(30);
        assertThat(json.get("leavesQuantity").asLong()).isEqualTo(70);
        assertThat(json.get("averagePrice").asString()).isEqualTo("187.2");
        JsonNode fill = json.get("fills").get(0);
        assertThat(fill.get("executionId").asString()).isEqualTo("E-1");
        assertThat(fill.get("quantity").asLong()).isEqualTo(30);
        assertThat(fill.get("price").asString()).isEqualTo("187.2");
        assertThat(fill.get("executedAt").asString()).isEqualTo("2026-01-01T00:00:02.500Z");
        assertThat(json.get("pendingRequest").asString()).isEqualTo("AMEND");
        assertThat(json.get("pendingQuantity").asLong()).isEqualTo(80);
        assertThat(json.get("pendingPrice").asString()).isEqualTo("187.3");
    }

    @Test
    void shouldWriteAWholeNumberPriceWithoutExponentAndNoPriceForMarketOrders() {
        OrderState limit = OrderState.newBuilder()
                .setOrderId("o-2")
                .setAccountId("acc-1")
                .setSymbol("MSFT")
                .setSide(Side.SELL)
                .setOrderType(OrderType.LIMIT)
                .setQuantity(1)
                .setPrice(new BigDecimal("400").setScale(6))
                .setStatus(OrderStatus.PENDING)
                .setVersion(1)
                .setCreatedAt(Instant.EPOCH)
                .setUpdatedAt(Instant.EPOCH)
                .build();
        OrderState market = OrderState.newBuilder(limit)
                .setOrderType(OrderType.MARKET)
                .setPrice(null)
                .build();

        assertThat(OrderView.from(limit).price()).isEqualTo("400");
        assertThat(OrderView.from(market).price()).isNull();
    }
}

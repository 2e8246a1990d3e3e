package io.orderpipeline.query.view;

import static org.assertj.core.api.Assertions.assertThat;

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
                        "updatedAt");
        assertThat(json.get("price").asString()).isEqualTo("187.25");
        assertThat(json.get("quantity").asLong()).isEqualTo(100);
        assertThat(json.get("createdAt").asString()).isEqualTo("2026-01-01T00:00:00.123Z");
        assertThat(json.get("nextAttemptAt").asString()).isEqualTo("2026-01-01T00:00:05Z");
        assertThat(json.get("exchangeOrderId").isNull()).isTrue();
        assertThat(json.get("reasons").get(0).asString()).isEqualTo("EXCHANGE_TIMEOUT");
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

package io.orderpipeline.schemas;

import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.time.Instant;

/** Sample records for serde tests. */
final class Orders {

    private Orders() {}

    static OrderCommand placeCommand(String orderId) {
        return OrderCommand.newBuilder()
                .setCommandId("cmd-" + orderId)
                .setType(CommandType.PLACE)
                .setOrderId(orderId)
                .setAccountId("acc-1")
                .setClientOrderId("c-42")
                .setSymbol("AAPL")
                .setSide(Side.BUY)
                .setOrderType(OrderType.LIMIT)
                .setQuantity(100)
                .setPrice(new BigDecimal("187.25").setScale(6))
                .setRequestedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }
}

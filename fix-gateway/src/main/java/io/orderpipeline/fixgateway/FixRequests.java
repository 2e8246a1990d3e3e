package io.orderpipeline.fixgateway;

import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import quickfix.field.Account;
import quickfix.field.ClOrdID;
import quickfix.field.HandlInst;
import quickfix.field.OrdType;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.Price;
import quickfix.field.Symbol;
import quickfix.field.TimeInForce;
import quickfix.field.TransactTime;
import quickfix.fix44.NewOrderSingle;
import quickfix.fix44.OrderCancelReplaceRequest;
import quickfix.fix44.OrderCancelRequest;

/** The pipeline's requests as FIX 4.4 messages (ClOrdID scheme: {@link ClOrdIds}; Account(1) = accountId). */
final class FixRequests {

    private FixRequests() {}

    static NewOrderSingle newOrderSingle(NewOrder order) {
        NewOrderSingle message =
                new NewOrderSingle(new ClOrdID(order.orderId()), side(order.side()), now(), ordType(order.orderType()));
        message.set(new Account(order.accountId()));
        message.set(new Symbol(order.symbol()));
        message.set(new OrderQty(order.quantity()));
        message.set(new HandlInst(HandlInst.AUTOMATED_EXECUTION_ORDER_PRIVATE_NO_BROKER_INTERVENTION));
        message.set(new TimeInForce(TimeInForce.DAY));
        if (order.price() != null) {
            message.setDecimal(Price.FIELD, order.price());
        }
        return message;
    }

    static OrderCancelRequest cancelRequest(CancelOrder request) {
        OrderCancelRequest message = new OrderCancelRequest(
                new OrigClOrdID(request.orderId()), new ClOrdID(request.requestId()), side(request.side()), now());
        message.set(new Account(request.accountId()));
        message.set(new Symbol(request.symbol()));
        message.set(new OrderQty(request.quantity()));
        return message;
    }

    static OrderCancelReplaceRequest cancelReplaceRequest(ReplaceOrder request) {
        OrderCancelReplaceRequest message = new OrderCancelReplaceRequest(
                new OrigClOrdID(request.orderId()),
                new ClOrdID(request.requestId()),
                side(request.side()),
                now(),
                ordType(request.orderType()));
        message.set(new Account(request.accountId()));
        message.set(new Symbol(request.symbol()));
        message.set(new OrderQty(request.quantity()));
        message.set(new HandlInst(HandlInst.AUTOMATED_EXECUTION_ORDER_PRIVATE_NO_BROKER_INTERVENTION));
        if (request.price() != null) {
            message.setDecimal(Price.FIELD, request.price());
        }
        return message;
    }

    static quickfix.field.Side side(Side side) {
        return new quickfix.field.Side(side == Side.BUY ? quickfix.field.Side.BUY : quickfix.field.Side.SELL);
    }

    static OrdType ordType(OrderType type) {
        return new OrdType(type == OrderType.LIMIT ? OrdType.LIMIT : OrdType.MARKET);
    }

    private static TransactTime now() {
        return new TransactTime(LocalDateTime.now(ZoneOffset.UTC));
    }
}

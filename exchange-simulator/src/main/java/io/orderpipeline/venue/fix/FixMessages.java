package io.orderpipeline.venue.fix;

import io.orderpipeline.venue.book.AmendRequest;
import io.orderpipeline.venue.book.ExecKind;
import io.orderpipeline.venue.book.OrderRequest;
import io.orderpipeline.venue.book.Report;
import io.orderpipeline.venue.book.Side;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import quickfix.FieldNotFound;
import quickfix.Message;
import quickfix.field.Account;
import quickfix.field.AvgPx;
import quickfix.field.ClOrdID;
import quickfix.field.CumQty;
import quickfix.field.CxlRejReason;
import quickfix.field.CxlRejResponseTo;
import quickfix.field.ExecID;
import quickfix.field.ExecType;
import quickfix.field.LastPx;
import quickfix.field.LastQty;
import quickfix.field.LeavesQty;
import quickfix.field.OrdRejReason;
import quickfix.field.OrdStatus;
import quickfix.field.OrdType;
import quickfix.field.OrderID;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.Price;
import quickfix.field.Symbol;
import quickfix.field.Text;
import quickfix.field.TransactTime;
import quickfix.fix44.ExecutionReport;
import quickfix.fix44.OrderCancelReject;

/** FIX 4.4 messages to and from the book's types. Account(1) is echoed on every answer. */
final class FixMessages {

    private FixMessages() {}

    static OrderRequest newOrder(Message message) throws FieldNotFound {
        return new OrderRequest(
                message.getString(ClOrdID.FIELD),
                message.isSetField(Account.FIELD) ? message.getString(Account.FIELD) : "",
                message.getString(Symbol.FIELD),
                Side.fromFix(message.getChar(quickfix.field.Side.FIELD)),
                message.getChar(OrdType.FIELD) == OrdType.LIMIT,
                message.getDecimal(OrderQty.FIELD).longValue(),
                message.isSetField(Price.FIELD) ? message.getDecimal(Price.FIELD) : null);
    }

    static AmendRequest amend(Message message, boolean replace) throws FieldNotFound {
        return new AmendRequest(
                replace,
                message.getString(ClOrdID.FIELD),
                message.getString(OrigClOrdID.FIELD),
                message.isSetField(Account.FIELD) ? message.getString(Account.FIELD) : "",
                message.isSetField(OrderQty.FIELD)
                        ? message.getDecimal(OrderQty.FIELD).longValue()
                        : 0,
                message.isSetField(Price.FIELD) ? message.getDecimal(Price.FIELD) : null);
    }

    static Message toFix(Report report) {
        return report.kind() == ExecKind.CANCEL_REJECT ? cancelReject(report) : executionReport(report);
    }

    private static Message executionReport(Report report) {
        ExecutionReport message = new ExecutionReport(
                new OrderID(report.venueOrderId()),
                new ExecID(report.execId()),
                new ExecType(report.kind().fix()),
                new OrdStatus(report.ordStatus().fix()),
                new quickfix.field.Side(report.side().fix()),
                new LeavesQty(report.leavesQty()),
                new CumQty(report.cumQty()),
                new AvgPx(0));
        message.setDecimal(AvgPx.FIELD, report.avgPx() == null ? BigDecimal.ZERO : report.avgPx());
        message.set(new ClOrdID(report.clOrdId()));
        if (report.origClOrdId() != null) {
            message.set(new OrigClOrdID(report.origClOrdId()));
        }
        message.set(new Account(report.account()));
        message.set(new Symbol(report.symbol()));
        message.set(new OrderQty(report.orderQty()));
        if (report.price() != null) {
            message.setDecimal(Price.FIELD, report.price());
        }
        if (report.kind() == ExecKind.TRADE) {
            message.set(new LastQty(report.lastQty()));
            message.setDecimal(LastPx.FIELD, report.lastPx());
        }
        if (report.rejectReason() != null) {
            message.set(new OrdRejReason(report.rejectReason()));
        }
        if (report.text() != null) {
            message.set(new Text(report.text()));
        }
        message.set(
                new TransactTime(report.transactTime().atZone(ZoneOffset.UTC).toLocalDateTime()));
        return message;
    }

    private static Message cancelReject(Report report) {
        OrderCancelReject message = new OrderCancelReject(
                new OrderID(report.venueOrderId()),
                new ClOrdID(report.clOrdId()),
                new OrigClOrdID(report.origClOrdId()),
                new OrdStatus(report.ordStatus().fix()),
                new CxlRejResponseTo(
                        report.replaceRejected()
                                ? CxlRejResponseTo.ORDER_CANCEL_REPLACE_REQUEST
                                : CxlRejResponseTo.ORDER_CANCEL_REQUEST));
        message.set(new Account(report.account()));
        if (report.rejectReason() != null) {
            message.set(new CxlRejReason(report.rejectReason()));
        }
        if (report.text() != null) {
            message.set(new Text(report.text()));
        }
        message.set(
                new TransactTime(report.transactTime().atZone(ZoneOffset.UTC).toLocalDateTime()));
        return message;
    }
}

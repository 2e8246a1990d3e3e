package io.orderpipeline.fixgateway;

import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.ExecutionType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import quickfix.FieldMap;
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
import quickfix.field.OrderID;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.Price;
import quickfix.field.Text;
import quickfix.field.TransactTime;

/**
 * The venue's FIX answers as Avro {@link ExecutionReport}s (mapping: the common design's table). The root order id is
 * OrigClOrdID(41) when present, else the part of ClOrdID(11) before {@code ':'}. Decimals carry the schema's scale 6.
 */
final class FixReports {

    /** OrdRejReason(103) 2, "exchange closed": what the venue answers for a passing failure, so worth retrying. */
    static final int RETRYABLE_REJECT_REASON = OrdRejReason.EXCHANGE_CLOSED;

    private static final int SCALE = 6;

    private FixReports() {}

    static ExecutionReport fromExecutionReport(Message message, String session) throws FieldNotFound {
        String clOrdId = message.getString(ClOrdID.FIELD);
        ExecutionType type = executionType(message.getChar(ExecType.FIELD));
        ExecutionReport.Builder report = common(message, clOrdId, session)
                .setExecutionId(message.getString(ExecID.FIELD))
                .setType(type)
                .setLastQuantity(longOrZero(message, LastQty.FIELD))
                .setLastPrice(decimalOrNull(message, LastPx.FIELD))
                .setCumulativeQuantity(longOrZero(message, CumQty.FIELD))
                .setLeavesQuantity(longOrZero(message, LeavesQty.FIELD))
                .setAveragePrice(decimalOrNull(message, AvgPx.FIELD))
                .setOrderQuantity(longOrZero(message, OrderQty.FIELD))
                .setPrice(decimalOrNull(message, Price.FIELD));
        if (type == ExecutionType.REJECTED) {
            int reason = message.isSetField(OrdRejReason.FIELD) ? message.getInt(OrdRejReason.FIELD) : -1;
            report.setRetryable(reason == RETRYABLE_REJECT_REASON).setReason(reason(message, "OrdRejReason", reason));
        }
        return report.build();
    }

    static ExecutionReport fromCancelReject(Message message, String session) throws FieldNotFound {
        String clOrdId = message.getString(ClOrdID.FIELD);
        boolean replace = message.isSetField(CxlRejResponseTo.FIELD)
                && message.getChar(CxlRejResponseTo.FIELD) == CxlRejResponseTo.ORDER_CANCEL_REPLACE_REQUEST;
        int reason = message.isSetField(CxlRejReason.FIELD) ? message.getInt(CxlRejReason.FIELD) : -1;
        return common(message, clOrdId, session)
                .setExecutionId(clOrdId + ":reject")
                .setType(replace ? ExecutionType.REPLACE_REJECTED : ExecutionType.CANCEL_REJECTED)
                .setReason(reason(message, "CxlRejReason", reason))
                .build();
    }

    private static ExecutionReport.Builder common(Message message, String clOrdId, String session)
            throws FieldNotFound {
        String orderId = message.isSetField(OrigClOrdID.FIELD)
                ? ClOrdIds.rootOrderId(message.getString(OrigClOrdID.FIELD))
                : ClOrdIds.rootOrderId(clOrdId);
        return ExecutionReport.newBuilder()
                .setOrderId(orderId)
                .setAccountId(message.isSetField(Account.FIELD) ? message.getString(Account.FIELD) : "")
                .setVenueOrderId(message.isSetField(OrderID.FIELD) ? message.getString(OrderID.FIELD) : null)
                .setClientRequestId(clOrdId)
                .setTransactTime(transactTime(message))
                .setReceivedAt(Instant.now())
                .setSession(session);
    }

    static ExecutionType executionType(char execType) {
        return switch (execType) {
            case ExecType.NEW -> ExecutionType.NEW;
            case ExecType.TRADE -> ExecutionType.TRADE;
            case ExecType.CANCELED -> ExecutionType.CANCELED;
            case ExecType.REPLACED -> ExecutionType.REPLACED;
            case ExecType.REJECTED -> ExecutionType.REJECTED;
            case ExecType.EXPIRED -> ExecutionType.EXPIRED;
            default -> ExecutionType.ORDER_STATUS;
        };
    }

    private static String reason(FieldMap message, String tag, int code) throws FieldNotFound {
        String text = message.isSetField(Text.FIELD) ? message.getString(Text.FIELD) : "";
        return code < 0 ? text : text + " (" + tag + " " + code + ")";
    }

    private static Instant transactTime(FieldMap message) throws FieldNotFound {
        return message.isSetField(TransactTime.FIELD)
                ? message.getUtcTimeStamp(TransactTime.FIELD).toInstant(ZoneOffset.UTC)
                : Instant.now();
    }

    private static long longOrZero(FieldMap message, int tag) throws FieldNotFound {
        return message.isSetField(tag) ? message.getDecimal(tag).longValue() : 0L;
    }

    private static BigDecimal decimalOrNull(FieldMap message, int tag) throws FieldNotFound {
        return message.isSetField(tag) ? message.getDecimal(tag).setScale(SCALE, RoundingMode.HALF_UP) : null;
    }
}

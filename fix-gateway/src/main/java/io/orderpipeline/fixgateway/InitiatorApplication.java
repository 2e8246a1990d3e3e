package io.orderpipeline.fixgateway;

import io.orderpipeline.schemas.avro.ExecutionReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import quickfix.Application;
import quickfix.DoNotSend;
import quickfix.FieldNotFound;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.field.MsgType;
import quickfix.field.PossDupFlag;
import quickfix.field.TestReqID;
import quickfix.fix44.TestRequest;

/** The initiator's callbacks: reports to the sink (see {@link VenueConnection} for what a failing sink causes). */
final class InitiatorApplication implements Application {

    private static final Logger log = LoggerFactory.getLogger(InitiatorApplication.class);

    private final ReportSink sink;
    private final SessionListener listener;

    InitiatorApplication(ReportSink sink, SessionListener listener) {
        this.sink = sink;
        this.listener = listener;
    }

    @Override
    public void onCreate(SessionID sessionId) {}

    @Override
    public void onLogon(SessionID sessionId) {
        log.info("FIX session {} logged on", sessionId);
        listener.onLogon(sessionId.toString());
    }

    @Override
    public void onLogout(SessionID sessionId) {
        log.info("FIX session {} logged out", sessionId);
        listener.onLogout(sessionId.toString());
    }

    @Override
    public void toAdmin(Message message, SessionID sessionId) {}

    @Override
    public void fromAdmin(Message message, SessionID sessionId) {}

    /** Requests are never resent by the session layer: the processor's own retry decides (see VenueConnection). */
    @Override
    public void toApp(Message message, SessionID sessionId) throws DoNotSend {
        if (message.getHeader().isSetField(PossDupFlag.FIELD)) {
            try {
                if (message.getHeader().getBoolean(PossDupFlag.FIELD)) {
                    throw new DoNotSend();
                }
            } catch (FieldNotFound e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void fromApp(Message message, SessionID sessionId) throws FieldNotFound {
        String type = message.getHeader().getString(MsgType.FIELD);
        ExecutionReport report;
        if (MsgType.EXECUTION_REPORT.equals(type)) {
            report = FixReports.fromExecutionReport(message, sessionId.toString());
        } else if (MsgType.ORDER_CANCEL_REJECT.equals(type)) {
            report = FixReports.fromCancelReject(message, sessionId.toString());
        } else {
            log.debug("FIX session {} ignores message type {}", sessionId, type);
            return;
        }
        try {
            sink.accept(report);
        } catch (Exception e) {
            log.warn(
                    "Report {} of order {} not handed on ({}); the venue will resend it",
                    report.getExecutionId(),
                    report.getOrderId(),
                    e.toString());
            askForResend(sessionId);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // not caught by QuickFIX/J's Session: the target sequence number stays, the venue resends this report
            throw new ReportNotDeliveredException(report.getExecutionId(), e);
        }
    }

    /**
     * The venue's Heartbeat answer to a TestRequest carries the next sequence number, which is then too high: the
     * session asks for the resend right away instead of at the next heartbeat.
     */
    private static void askForResend(SessionID sessionId) {
        Session session = Session.lookupSession(sessionId);
        if (session != null && session.isLoggedOn()) {
            session.send(new TestRequest(new TestReqID("resend-" + System.currentTimeMillis())));
        }
    }

    static final class ReportNotDeliveredException extends RuntimeException {
        ReportNotDeliveredException(String executionId, Throwable cause) {
            super("report " + executionId + " not delivered", cause);
        }
    }
}

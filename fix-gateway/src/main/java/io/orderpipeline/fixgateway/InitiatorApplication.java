package io.orderpipeline.fixgateway;

import io.orderpipeline.schemas.avro.ExecutionReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import quickfix.Application;
import quickfix.DoNotSend;
import quickfix.FieldNotFound;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.field.MsgSeqNum;
import quickfix.field.MsgType;
import quickfix.field.PossDupFlag;
import quickfix.field.TestReqID;
import quickfix.fix44.TestRequest;

/**
 * The initiator's callbacks: every report to the sink without waiting for it, the {@link HandOffPosition} kept up to
 * date, and the session's expected sequence number set back to that position at logon and after a failed hand-off
 * (see {@link VenueConnection}, Inbound).
 */
final class InitiatorApplication implements Application {

    private static final Logger log = LoggerFactory.getLogger(InitiatorApplication.class);

    private final ReportSink sink;
    private final SessionListener listener;
    private final HandOffPosition position;
    /** Runs what must not run on the sink's callback threads (asking the venue for a resend). */
    private final Executor helper;

    InitiatorApplication(ReportSink sink, SessionListener listener, HandOffPosition position, Executor helper) {
        this.sink = sink;
        this.listener = listener;
        this.position = position;
        this.helper = helper;
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

    /**
     * Before our Logon goes out: expect the venue to start at the hand-off position, not at the session store's number,
     * so what was received but not durably handed on (in flight at a crash, a stop, a dropped session) comes again.
     */
    @Override
    public void toAdmin(Message message, SessionID sessionId) {
        try {
            if (MsgType.LOGON.equals(message.getHeader().getString(MsgType.FIELD))) {
                Session session = Session.lookupSession(sessionId);
                if (session != null) {
                    expectFrom(session, position.rewind(), "logon");
                }
            }
        } catch (FieldNotFound e) {
            throw new IllegalStateException(e);
        }
    }

    /** A heartbeat after a failed hand-off triggers the resend when no report is arriving. */
    @Override
    public void fromAdmin(Message message, SessionID sessionId) throws FieldNotFound {
        if (MsgType.HEARTBEAT.equals(message.getHeader().getString(MsgType.FIELD))) {
            rewindIfDue(sessionId);
        }
    }

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
        rewindIfDue(sessionId);
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
        int seqNum = message.getHeader().getInt(MsgSeqNum.FIELD);
        position.started(seqNum);
        CompletionStage<Void> handedOn;
        try {
            handedOn = sink.accept(report);
        } catch (RuntimeException e) {
            handedOn = CompletableFuture.failedFuture(e);
        }
        handedOn.whenComplete((ok, error) -> {
            if (error == null) {
                position.done(seqNum);
            } else {
                position.failed();
                log.warn(
                        "Report {} of order {} (MsgSeqNum {}) not handed on ({}); the venue will resend it",
                        report.getExecutionId(),
                        report.getOrderId(),
                        seqNum,
                        error.toString());
                helper.execute(() -> askForHeartbeat(sessionId));
            }
        });
    }

    /**
     * After a failed hand-off, on the session's thread: the expected sequence number goes back to the hand-off
     * position and this message is refused (thrown out of the callback, so QuickFIX/J does not count it, see {@link
     * VenueConnection}); the next message is then "too high" and the session sends a ResendRequest from the position.
     */
    private void rewindIfDue(SessionID sessionId) {
        if (!position.rewindDue()) {
            return;
        }
        Session session = Session.lookupSession(sessionId);
        if (session == null) {
            return;
        }
        int resume = position.rewind();
        expectFrom(session, resume, "failed hand-off");
        throw new ReportNotDeliveredException(resume);
    }

    private static void expectFrom(Session session, int resume, String why) {
        int expected = session.getExpectedTargetNum();
        if (resume <= 0 || resume >= expected) {
            return;
        }
        try {
            session.setNextTargetMsgSeqNum(resume);
            log.info(
                    "FIX session {}: expecting MsgSeqNum {} again instead of {} ({}); the venue resends the rest",
                    session.getSessionID(),
                    resume,
                    expected,
                    why);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the expected sequence number of " + session.getSessionID(), e);
        }
    }

    /**
     * The venue's Heartbeat answer to a TestRequest reaches {@link #fromAdmin} at once, which rewinds, instead of at
     * the next heartbeat interval.
     */
    private static void askForHeartbeat(SessionID sessionId) {
        Session session = Session.lookupSession(sessionId);
        if (session != null && session.isLoggedOn()) {
            session.send(new TestRequest(new TestReqID("resend-" + System.currentTimeMillis())));
        }
    }

    static final class ReportNotDeliveredException extends RuntimeException {
        ReportNotDeliveredException(int resume) {
            super("a report was not handed on; expecting MsgSeqNum " + resume + " again");
        }
    }
}

package io.orderpipeline.venue.fix;

import io.orderpipeline.venue.book.VenueEngine;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import quickfix.Application;
import quickfix.FieldNotFound;
import quickfix.Message;
import quickfix.RejectLogon;
import quickfix.SessionID;
import quickfix.UnsupportedMessageType;
import quickfix.field.MsgType;

/** The acceptor's callbacks: requests to the engine (which answers later, on its own thread); logons refused in an outage. */
final class AcceptorApplication implements Application {

    private static final Logger log = LoggerFactory.getLogger(AcceptorApplication.class);

    private final VenueEngine engine;
    private final BooleanSupplier outage;

    AcceptorApplication(VenueEngine engine, BooleanSupplier outage) {
        this.engine = engine;
        this.outage = outage;
    }

    @Override
    public void onCreate(SessionID sessionId) {}

    @Override
    public void onLogon(SessionID sessionId) {
        log.info("Venue session {} logged on", sessionId);
    }

    @Override
    public void onLogout(SessionID sessionId) {
        log.info("Venue session {} logged out", sessionId);
    }

    @Override
    public void toAdmin(Message message, SessionID sessionId) {}

    @Override
    public void fromAdmin(Message message, SessionID sessionId) throws FieldNotFound, RejectLogon {
        if (MsgType.LOGON.equals(message.getHeader().getString(MsgType.FIELD)) && outage.getAsBoolean()) {
            log.info("Venue refuses the logon of {}: outage", sessionId);
            throw new RejectLogon("venue outage");
        }
    }

    @Override
    public void toApp(Message message, SessionID sessionId) {}

    @Override
    public void fromApp(Message message, SessionID sessionId) throws FieldNotFound, UnsupportedMessageType {
        String session = sessionId.toString();
        switch (message.getHeader().getString(MsgType.FIELD)) {
            case MsgType.ORDER_SINGLE -> engine.onNewOrder(FixMessages.newOrder(message), session);
            case MsgType.ORDER_CANCEL_REQUEST -> engine.onAmend(FixMessages.amend(message, false), session);
            case MsgType.ORDER_CANCEL_REPLACE_REQUEST -> engine.onAmend(FixMessages.amend(message, true), session);
            default -> throw new UnsupportedMessageType();
        }
    }
}

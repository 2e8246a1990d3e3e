package io.orderpipeline.venue;

import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.FileStoreFactory;
import quickfix.Message;
import quickfix.SLF4JLogFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;
import quickfix.field.Account;
import quickfix.field.ClOrdID;
import quickfix.field.ExecType;
import quickfix.field.MsgType;
import quickfix.field.OrdType;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.Price;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.TransactTime;
import quickfix.fix44.NewOrderSingle;
import quickfix.fix44.OrderCancelReplaceRequest;
import quickfix.fix44.OrderCancelRequest;

/** A plain QuickFIX/J initiator for the venue's tests: sends requests, records every application message it gets. */
final class TestInitiator implements AutoCloseable {

    private final SessionID sessionId;
    private final SocketInitiator initiator;
    final List<Message> received = new CopyOnWriteArrayList<>();
    volatile int logons;

    TestInitiator(String senderCompId, int port, Path store) throws ConfigError {
        sessionId = new SessionID("FIX.4.4", senderCompId, "VENUE");
        SessionSettings settings = new SessionSettings();
        settings.setString(sessionId, "ConnectionType", "initiator");
        settings.setString(sessionId, "SocketConnectHost", "127.0.0.1");
        settings.setLong(sessionId, "SocketConnectPort", port);
        settings.setLong(sessionId, "HeartBtInt", 5);
        settings.setLong(sessionId, "ReconnectInterval", 1);
        settings.setString(sessionId, "NonStopSession", "Y");
        settings.setString(sessionId, "FileStorePath", store.toString());
        settings.setString(sessionId, "DataDictionary", "FIX44.xml");
        Application application = new Application() {
            @Override
            public void onCreate(SessionID id) {}

            @Override
            public void onLogon(SessionID id) {
                logons++;
            }

            @Override
            public void onLogout(SessionID id) {}

            @Override
            public void toAdmin(Message message, SessionID id) {}

            @Override
            public void fromAdmin(Message message, SessionID id) {}

            @Override
            public void toApp(Message message, SessionID id) {}

            @Override
            public void fromApp(Message message, SessionID id) {
                received.add(message);
            }
        };
        initiator = new SocketInitiator(
                application,
                new FileStoreFactory(settings),
                settings,
                new SLF4JLogFactory(settings),
                new DefaultMessageFactory());
        initiator.start();
    }

    static TestInitiator loggedOn(String senderCompId, EmbeddedVenue venue, Path store) throws ConfigError {
        TestInitiator initiator = new TestInitiator(senderCompId, venue.fixPort(), store);
        initiator.awaitLoggedOn();
        return initiator;
    }

    void awaitLoggedOn() {
        await().atMost(Duration.ofSeconds(10)).until(this::isLoggedOn);
    }

    boolean isLoggedOn() {
        Session session = Session.lookupSession(sessionId);
        return session != null && session.isLoggedOn();
    }

    void newOrder(String clOrdId, String symbol, char side, long quantity, BigDecimal limit) {
        NewOrderSingle message = new NewOrderSingle(
                new ClOrdID(clOrdId),
                new Side(side),
                new TransactTime(LocalDateTime.now(ZoneOffset.UTC)),
                new OrdType(limit == null ? OrdType.MARKET : OrdType.LIMIT));
        message.set(new Account("acc-1"));
        message.set(new Symbol(symbol));
        message.set(new OrderQty(quantity));
        if (limit != null) {
            message.setDecimal(Price.FIELD, limit);
        }
        send(message);
    }

    void cancel(String requestId, String orderId) {
        OrderCancelRequest message = new OrderCancelRequest(
                new OrigClOrdID(orderId),
                new ClOrdID(requestId),
                new Side(Side.BUY),
                new TransactTime(LocalDateTime.now(ZoneOffset.UTC)));
        message.set(new Account("acc-1"));
        message.set(new Symbol("AAPL"));
        message.set(new OrderQty(1));
        send(message);
    }

    void replace(String requestId, String orderId, long quantity, BigDecimal limit) {
        OrderCancelReplaceRequest message = new OrderCancelReplaceRequest(
                new OrigClOrdID(orderId),
                new ClOrdID(requestId),
                new Side(Side.BUY),
                new TransactTime(LocalDateTime.now(ZoneOffset.UTC)),
                new OrdType(OrdType.LIMIT));
        message.set(new Account("acc-1"));
        message.set(new Symbol("AAPL"));
        message.set(new OrderQty(quantity));
        message.setDecimal(Price.FIELD, limit);
        send(message);
    }

    private void send(Message message) {
        if (!Session.lookupSession(sessionId).send(message)) {
            throw new IllegalStateException("not sent: " + message);
        }
    }

    /** Reports about a ClOrdID (or OrigClOrdID). */
    List<Message> about(String clOrdId) {
        return received.stream()
                .filter(message -> clOrdId.equals(field(message, ClOrdID.FIELD))
                        || clOrdId.equals(field(message, OrigClOrdID.FIELD)))
                .toList();
    }

    List<Message> awaitReports(String clOrdId, Predicate<List<Message>> done) {
        await().atMost(Duration.ofSeconds(10)).until(() -> done.test(about(clOrdId)));
        return about(clOrdId);
    }

    static String field(Message message, int tag) {
        try {
            return message.isSetField(tag) ? message.getString(tag) : null;
        } catch (FieldNotFound e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isExecType(Message message, char execType) {
        return MsgType.EXECUTION_REPORT.equals(header(message))
                && String.valueOf(execType).equals(field(message, ExecType.FIELD));
    }

    static String header(Message message) {
        try {
            return message.getHeader().getString(MsgType.FIELD);
        } catch (FieldNotFound e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        initiator.stop(true);
    }
}

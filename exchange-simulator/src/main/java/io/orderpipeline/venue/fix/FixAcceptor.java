package io.orderpipeline.venue.fix;

import io.orderpipeline.venue.book.Report;
import io.orderpipeline.venue.book.ReportSender;
import io.orderpipeline.venue.book.VenueEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.mina.core.service.IoAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import quickfix.Acceptor;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FileStoreFactory;
import quickfix.LogFactory;
import quickfix.MessageFactory;
import quickfix.MessageStoreFactory;
import quickfix.SLF4JLogFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketAcceptor;
import quickfix.mina.acceptor.DynamicAcceptorSessionProvider;

/**
 * The venue's FIX 4.4 acceptor: one QuickFIX/J {@link SocketAcceptor} whose only session is a template ({@code
 * FIX.4.4:VENUE->*}), so any SenderCompID logging on to {@code VENUE} gets its own dynamic session
 * ({@link DynamicAcceptorSessionProvider}), with sequence numbers and sent messages in a {@code FileStore} under the
 * data directory. A report for a session that is not logged on is stored there and resent when the initiator logs on
 * again and asks for the gap (also after a restart of the venue: the session is re-created from its store).
 */
public final class FixAcceptor implements ReportSender, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FixAcceptor.class);
    private static final SessionID TEMPLATE = new SessionID("FIX.4.4", "VENUE", "*");

    private final SessionSettings settings;
    private final MessageStoreFactory stores;
    private final LogFactory logs;
    private final MessageFactory messages = new DefaultMessageFactory();
    private final boolean failover;
    private SocketAcceptor acceptor;
    private DynamicAcceptorSessionProvider provider;

    /**
     * @param port 0 for a free one ({@link #port()} tells which)
     * @param storeDirectory where each session's FileStore lives
     * @param failover whether a report whose session is not logged on goes to another logged-on session instead of
     *     waiting in its store (every pipeline session writes to the same topic, so any of them delivers it)
     */
    public FixAcceptor(String host, int port, Path storeDirectory, boolean failover) {
        this.failover = failover;
        this.settings = new SessionSettings();
        settings.setString("ConnectionType", "acceptor");
        settings.setString("SocketAcceptAddress", host);
        settings.setLong("SocketAcceptPort", port);
        settings.setString("FileStorePath", storeDirectory.toString());
        settings.setString("NonStopSession", "Y");
        settings.setString("UseDataDictionary", "Y");
        settings.setString("DataDictionary", "FIX44.xml");
        settings.setString("ResetOnLogon", "N");
        settings.setString("ResetOnDisconnect", "N");
        settings.setString("PersistMessages", "Y");
        settings.setString("SocketTcpNoDelay", "Y");
        settings.setString("SLF4JLogHeartbeats", "N");
        settings.setString(TEMPLATE, "AcceptorTemplate", "Y");
        this.stores = new FileStoreFactory(settings);
        this.logs = new SLF4JLogFactory(settings);
    }

    public synchronized void start(VenueEngine engine, BooleanSupplier outage) {
        AcceptorApplication application = new AcceptorApplication(engine, outage);
        try {
            acceptor = new SocketAcceptor(application, stores, settings, logs, messages);
            provider = new DynamicAcceptorSessionProvider(settings, TEMPLATE, application, stores, logs, messages);
            String host = settings.getString("SocketAcceptAddress");
            int port = (int) settings.getLong("SocketAcceptPort");
            acceptor.setSessionProvider(new InetSocketAddress(host, port), provider);
            acceptor.start();
        } catch (ConfigError | quickfix.FieldConvertError e) {
            throw new IllegalStateException("cannot start the FIX acceptor", e);
        }
        log.info("Venue FIX acceptor listening on {}:{}", host(), port());
    }

    /** The port it actually listens on. */
    public int port() {
        for (IoAcceptor endpoint : acceptor.getEndpoints()) {
            if (endpoint.getLocalAddress() instanceof InetSocketAddress address) {
                return address.getPort();
            }
        }
        throw new IllegalStateException("the FIX acceptor listens nowhere");
    }

    private String host() {
        try {
            return settings.getString("SocketAcceptAddress");
        } catch (ConfigError e) {
            return "?";
        }
    }

    @Override
    public void send(Report report) {
        SessionID id = new SessionID(report.session());
        // a session unknown since the restart is created from its store: the report waits there for the logon
        Session session = Session.lookupSession(id);
        if (session == null) {
            session = provider.getSession(id, acceptor);
        }
        if (!session.isLoggedOn() && failover) {
            Session other = sessions().stream()
                    .filter(Session::isLoggedOn)
                    .min(Comparator.comparing(
                            candidate -> candidate.getSessionID().toString()))
                    .orElse(null);
            if (other != null) {
                log.debug("Report {} for {} goes to {} (failover)", report.execId(), id, other.getSessionID());
                session = other;
            }
        }
        if (!session.send(FixMessages.toFix(report)) && !session.isLoggedOn()) {
            log.debug("Report {} stored for {} until it logs on again", report.execId(), id);
        }
    }

    /** Drops every logged-on session at once (no logout); the initiators reconnect and ask for the gap. */
    public void dropSessions(String reason) {
        for (Session session : sessions()) {
            if (session.isLoggedOn()) {
                try {
                    session.disconnect(reason, false);
                } catch (IOException e) {
                    log.warn("Dropping {} failed", session.getSessionID(), e);
                }
            }
        }
    }

    public List<SessionView> sessionViews() {
        return sessions().stream()
                .map(session -> new SessionView(
                        session.getSessionID().toString(),
                        session.isLoggedOn(),
                        session.getExpectedSenderNum(),
                        session.getExpectedTargetNum()))
                .sorted(Comparator.comparing(SessionView::id))
                .toList();
    }

    private List<Session> sessions() {
        Acceptor current = acceptor;
        return current == null ? List.of() : new ArrayList<>(acceptor.getManagedSessions());
    }

    /**
     * One FIX session as the admin API shows it.
     *
     * @param nextSenderSeq MsgSeqNum the venue sends next on it
     * @param nextTargetSeq MsgSeqNum the venue expects next from the initiator
     */
    public record SessionView(String id, boolean loggedOn, int nextSenderSeq, int nextTargetSeq) {}

    @Override
    public synchronized void close() {
        if (acceptor != null) {
            acceptor.stop(true);
            acceptor = null;
        }
    }
}

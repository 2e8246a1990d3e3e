package io.orderpipeline.fixgateway;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FileStoreFactory;
import quickfix.Message;
import quickfix.SLF4JLogFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;

/**
 * The pipeline's FIX 4.4 session to the venue: one QuickFIX/J initiator ({@link SocketInitiator}) that logs on as
 * {@link VenueSettings#senderCompId()} and keeps logging on again every {@link VenueSettings#reconnectInterval()}
 * while the venue is unreachable.
 *
 * <h2>Outbound</h2>
 *
 * {@link #newOrder}, {@link #cancel} and {@link #replace} never block the caller (a stream thread): the message is
 * handed to the session on this connection's own sender thread (which keeps the caller's order) and the stage
 * completes once the session took it for the socket, or exceptionally with {@link VenueUnavailableException} when the
 * session is not logged on. Nothing else is promised: the answer comes as a report, and the caller's retry (same
 * ClOrdID; the venue is idempotent by ClOrdID) covers a request lost on the way. For the same reason requests are
 * never replayed by the session layer: when the venue asks for a resend of a request this session sent earlier, it
 * gets a gap fill instead (its toApp refuses resends with {@code DoNotSend}), so an order the pipeline has meanwhile
 * given up on is not placed minutes later.
 *
 * <h2>Inbound</h2>
 *
 * Every ExecutionReport(8) and OrderCancelReject(9) becomes an Avro {@code ExecutionReport} and is handed to the
 * {@link ReportSink} on the session's thread, <b>without waiting</b> for the sink to confirm: the session's thread only
 * serializes and hands over, so reports are pipelined (for {@link KafkaReportSink}, several in one produce request)
 * instead of paying one broker round trip each in sequence. That the venue never loses a report is kept by a second
 * number next to the session's own: the {@link HandOffPosition}, the lowest MsgSeqNum(34) not yet durably handed on,
 * kept in {@code <store>/<session>.handed-on}. QuickFIX/J counts a message as received once {@code fromApp} returns, so
 * its expected sequence number may be ahead of the position; this connection sets it back to the position
 *
 * <ul>
 *   <li>before every Logon it sends (after a restart, a crash, a dropped session): the venue's Logon is then "too
 *       high" and the session sends a ResendRequest from the position;
 *   <li>after a failed hand-off, on the session's thread, at the next report or heartbeat (a TestRequest asks for one
 *       at once): the callback throws, and verified in QuickFIX/J 2.3.2's {@code quickfix.Session}: {@code
 *       next(Message)} calls {@code verify(...)} → {@code fromCallback} → {@code fromApp}/{@code fromAdmin} and only
 *       when {@code verify} returns calls {@code state.incrNextTargetMsgSeqNum()}; the exception lands in {@code
 *       next}'s {@code catch (Throwable t)} (QFJ-572) and, with {@code RejectMessageOnUnhandledException=N} (the
 *       default, kept here), is re-thrown as {@code RuntimeError}, so the sequence number stays where it was set and
 *       the next message triggers the ResendRequest.
 * </ul>
 *
 * The venue resends with PossDupFlag=Y; reports that had reached the topic after all arrive twice (same ExecID), which
 * the topology ignores. Measured on the 2-core bench box at 100 orders/s (≈ 400 reports/s), warm: waiting for each
 * broker acknowledgement on the session's thread put venue → session p99 at 123 ms, and seconds while the JVMs were
 * cold (the reports queued behind one another's round trips); see README, "The venue".
 *
 * <p>Sequence numbers and sent messages live in a {@code FileStore} under {@link VenueSettings#storeDirectory()}:
 * after a restart of the processor with the same SenderCompID and directory, the venue resends every report it sent
 * while this side was down.
 */
public final class VenueConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VenueConnection.class);

    /** How often the hand-off position is written; a lagging file only means more resends after a crash. */
    private static final long PERSIST_EVERY_MS = 200;

    private final VenueSettings settings;
    private final SessionID sessionId;
    private final SocketInitiator initiator;
    private final InitiatorApplication application;
    private final HandOffPosition position;
    private final ScheduledExecutorService sender;

    private VenueConnection(VenueSettings settings, ReportSink sink, SessionListener listener) throws ConfigError {
        this.settings = settings;
        this.sessionId = new SessionID("FIX.4.4", settings.senderCompId(), settings.targetCompId());
        this.position = HandOffPosition.load(settings.storeDirectory()
                .resolve(settings.senderCompId() + "-" + settings.targetCompId() + ".handed-on"));
        this.sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fix-send-" + settings.senderCompId());
            thread.setDaemon(true);
            return thread;
        });
        this.application = new InitiatorApplication(sink, listener, position, sender);
        SessionSettings fix = sessionSettings(settings, sessionId);
        this.initiator = new SocketInitiator(
                application, new FileStoreFactory(fix), fix, new SLF4JLogFactory(fix), new DefaultMessageFactory());
        sender.scheduleWithFixedDelay(this::persistPosition, PERSIST_EVERY_MS, PERSIST_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    private void persistPosition() {
        try {
            position.persist();
        } catch (RuntimeException e) {
            log.warn("FIX session {}: {}", sessionId, e.getMessage());
        }
    }

    /**
     * Starts the session; logon happens in the background ({@link #isLoggedOn()}, {@link #awaitLogon(Duration)}).
     *
     * @param sink where every received report goes; see {@link ReportSink} for the delivery contract
     */
    public static VenueConnection open(VenueSettings settings, ReportSink sink) {
        return open(settings, sink, SessionListener.NONE);
    }

    /** As {@link #open(VenueSettings, ReportSink)}, telling {@code listener} of every logon and logout. */
    public static VenueConnection open(VenueSettings settings, ReportSink sink, SessionListener listener) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(listener, "listener");
        try {
            Files.createDirectories(settings.storeDirectory());
            VenueConnection connection = new VenueConnection(settings, sink, listener);
            connection.initiator.start();
            log.info(
                    "FIX session {} connecting to {}:{} (store {})",
                    settings.sessionName(),
                    settings.host(),
                    settings.port(),
                    settings.storeDirectory());
            return connection;
        } catch (ConfigError | java.io.IOException e) {
            throw new IllegalStateException("cannot start the FIX session " + settings.sessionName(), e);
        }
    }

    public boolean isLoggedOn() {
        Session session = Session.lookupSession(sessionId);
        return session != null && session.isLoggedOn();
    }

    /** Waits until the session is logged on; {@code false} if it is not within {@code timeout}. */
    public boolean awaitLogon(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isLoggedOn()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return true;
    }

    /** The session id as QuickFIX/J names it, e.g. {@code FIX.4.4:PIPELINE-1->VENUE} (the reports' {@code session}). */
    public String sessionId() {
        return sessionId.toString();
    }

    public VenueSettings settings() {
        return settings;
    }

    public CompletionStage<Void> newOrder(NewOrder order) {
        return send(FixRequests.newOrderSingle(order), order.orderId());
    }

    public CompletionStage<Void> cancel(CancelOrder request) {
        return send(FixRequests.cancelRequest(request), request.requestId());
    }

    public CompletionStage<Void> replace(ReplaceOrder request) {
        return send(FixRequests.cancelReplaceRequest(request), request.requestId());
    }

    private CompletionStage<Void> send(Message message, String clOrdId) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            sender.execute(() -> {
                try {
                    Session session = Session.lookupSession(sessionId);
                    if (session == null || !session.isLoggedOn()) {
                        result.completeExceptionally(new VenueUnavailableException(
                                sessionId + " is not logged on; " + clOrdId + " not sent"));
                    } else if (session.send(message)) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(
                                new VenueUnavailableException(sessionId + " did not send " + clOrdId));
                    }
                } catch (RuntimeException e) {
                    result.completeExceptionally(
                            new VenueUnavailableException(sessionId + " failed to send " + clOrdId, e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new VenueUnavailableException(sessionId + " is closed", e));
        }
        return result;
    }

    /** Logs out and stops; the FileStore keeps the sequence numbers for the next connection with this CompID. */
    @Override
    public void close() {
        initiator.stop();
        sender.shutdown();
        persistPosition();
        log.info("FIX session {} stopped", sessionId);
    }

    private static SessionSettings sessionSettings(VenueSettings settings, SessionID id) {
        SessionSettings fix = new SessionSettings();
        fix.setString(id, "ConnectionType", "initiator");
        fix.setString(id, "SocketConnectHost", settings.host());
        fix.setLong(id, "SocketConnectPort", settings.port());
        fix.setLong(id, "HeartBtInt", settings.heartbeatInterval().toSeconds());
        fix.setLong(id, "ReconnectInterval", settings.reconnectInterval().toSeconds());
        fix.setString(id, "NonStopSession", "Y");
        fix.setString(id, "FileStorePath", settings.storeDirectory().toString());
        fix.setString(id, "ResetOnLogon", "N");
        fix.setString(id, "ResetOnDisconnect", "N");
        fix.setString(id, "PersistMessages", "Y");
        fix.setString(id, "UseDataDictionary", "Y");
        fix.setString(id, "DataDictionary", "FIX44.xml");
        fix.setString(id, "RejectMessageOnUnhandledException", "N");
        fix.setString(id, "SocketTcpNoDelay", "Y");
        fix.setString(id, "SLF4JLogHeartbeats", "N");
        return fix;
    }
}

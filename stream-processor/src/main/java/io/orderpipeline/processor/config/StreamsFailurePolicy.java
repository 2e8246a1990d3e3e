package io.orderpipeline.processor.config;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * What the processor does when its Kafka Streams client fails; nothing fails silently.
 *
 * <ul>
 *   <li><b>A stream thread dies</b> of an error that no record-level handler took (deserialization and processing
 *       errors go to the dead-letter queue and never get here): the thread is <em>replaced</em>, with an error log
 *       naming the thread and the error. Under exactly-once its open transaction is aborted, and the new thread
 *       resumes its tasks from their last committed offsets, so no record is lost or applied twice.
 *   <li><b>The client itself fails</b>: it reaches {@code PENDING_ERROR}/{@code ERROR} (the global thread, which keeps
 *       the instruments table, cannot be replaced; an instance asked the whole application to shut down), or it stops
 *       ({@code PENDING_SHUTDOWN}/{@code NOT_RUNNING}) while the service did not ask it to. A client in those states
 *       never processes again, so the service does not stay half alive: it logs the reason and stops with exit code
 *       {@value #EXIT_CODE} through the {@link ServiceTerminator}, and its supervisor starts a fresh instance, which
 *       resumes from the committed offsets. Health says DOWN in the meantime.
 * </ul>
 *
 * <p>Armed once the client has started ({@link #getPhase()} follows {@link StreamsBuilderFactoryBean}'s), and disarmed
 * when the context closes, before the client is closed: a failure at start-up fails the start-up itself, and an
 * orderly shutdown is not a failure.
 */
final class StreamsFailurePolicy
        implements StreamsUncaughtExceptionHandler, KafkaStreams.StateListener, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamsFailurePolicy.class);

    /** Exit code of a processor whose Streams client failed. */
    static final int EXIT_CODE = 1;

    private final ServiceTerminator terminator;
    private final AtomicBoolean terminating = new AtomicBoolean();
    private volatile boolean armed;
    private volatile boolean stopping;
    private volatile String lastThreadFailure;
    private volatile String clientFailure;

    StreamsFailurePolicy(ServiceTerminator terminator) {
        this.terminator = terminator;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable error) {
        String thread = Thread.currentThread().getName();
        lastThreadFailure = "stream thread " + thread + " died of " + error;
        if (thread.endsWith("-GlobalStreamThread")) {
            // Kafka Streams cannot replace the global thread and fails the client instead: see onChange
            log.error("global stream thread {} died of {}; it cannot be replaced", thread, error, error);
        } else {
            log.error(
                    "stream thread {} died of {}; replacing it (its tasks resume from their last commit)",
                    thread,
                    error,
                    error);
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    @Override
    public void onChange(State newState, State oldState) {
        if (stopping || !failed(newState)) {
            return;
        }
        String cause = lastThreadFailure;
        clientFailure = "the Kafka Streams client went from " + oldState + " to " + newState
                + (cause == null ? "" : " (last failure: " + cause + ")");
        if (armed) {
            terminate(clientFailure);
        }
    }

    private static boolean failed(State state) {
        return switch (state) {
            case PENDING_ERROR, ERROR, PENDING_SHUTDOWN, NOT_RUNNING -> true;
            case CREATED, REBALANCING, RUNNING -> false;
        };
    }

    /** Once; from its own thread, since closing the context closes the Streams client, whose thread may be calling. */
    private void terminate(String reason) {
        if (!terminating.compareAndSet(false, true)) {
            return;
        }
        log.error(
                "{}: it will not process again, so the stream-processor stops with exit code {} for its supervisor to "
                        + "restart it",
                reason,
                EXIT_CODE);
        Thread exit = new Thread(() -> terminator.terminate(EXIT_CODE, reason), "stream-processor-exit");
        exit.start();
    }

    @Override
    public void start() {
        armed = true;
        String failure = clientFailure;
        if (failure != null) {
            terminate(failure);
        }
    }

    @Override
    public void stop() {
        stopping = true;
        armed = false;
    }

    @Override
    public boolean isRunning() {
        return armed;
    }

    /** After {@link StreamsBuilderFactoryBean} (started before, stopped after this). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 500;
    }
}

package io.orderpipeline.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries one start-up step while it fails with a retriable error, with exponential backoff, until a deadline; then
 * fails with an {@link IllegalStateException} that names what it waited for and the last error. Every admin call a
 * service makes at start-up goes through one: right after a topic is created its metadata may not have reached the
 * broker that answers ({@code UnknownTopicOrPartitionException}, {@code LeaderNotAvailableException}), a broker that
 * is starting has no brokers registered yet ({@code InvalidReplicationFactorException}), and a registry that is not up
 * refuses connections. A non-retriable error fails at once.
 */
public final class StartupWait {

    private static final Logger log = LoggerFactory.getLogger(StartupWait.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final Duration timeout;
    private final Duration maxBackoff;

    public StartupWait(Duration timeout, Duration maxBackoff) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
    }

    public Duration timeout() {
        return timeout;
    }

    /** A step that returns nothing. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} until it succeeds; see {@link #until(String, Callable)}. */
    public void run(String what, Step step) {
        until(what, () -> {
            step.run();
            return null;
        });
    }

    /**
     * Calls {@code attempt} until it returns, retrying {@linkplain #retriable(Throwable) retriable} failures.
     *
     * @param what what the step waits for, in words that complete "gave up waiting for …"
     * @throws IllegalStateException when the deadline passes or a failure is not retriable; its cause is the last
     *     failure
     */
    public <T> T until(String what, Callable<T> attempt) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Backoff backoff = new Backoff(FIRST_BACKOFF.compareTo(maxBackoff) < 0 ? FIRST_BACKOFF : maxBackoff, maxBackoff);
        int attempts = 0;
        while (true) {
            attempts++;
            Throwable failure;
            try {
                T result = attempt.call();
                if (attempts > 1) {
                    log.info("{}: done after {} attempts", what, attempts);
                }
                return result;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            } catch (Exception e) {
                failure = unwrap(e);
            }
            if (!retriable(failure)) {
                throw new IllegalStateException("failed while waiting for " + what + ": " + failure, failure);
            }
            Duration pause = backoff.next();
            if (System.nanoTime() + pause.toNanos() - deadline > 0) {
                throw new IllegalStateException(
                        "gave up waiting for " + what + " after " + timeout + " (" + attempts
                                + " attempts; orders.startup.timeout); last error: " + failure,
                        failure);
            }
            log.warn("{}: not yet ({}); retrying in {} ms", what, failure, pause.toMillis());
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    /**
     * Whether a start-up failure may heal by itself: Kafka's retriable errors (unknown topic or partition, no leader,
     * timeouts, not enough replicas, coordinator moves), no broker registered yet, and I/O errors (a registry or broker
     * that does not accept connections yet), anywhere in the cause chain.
     */
    public static boolean retriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetriableException
                    || t instanceof TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof InvalidReplicationFactorException
                    || t instanceof IOException
                    || t instanceof UncheckedIOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}

package io.orderpipeline.ingest.command;

import io.orderpipeline.shared.Backoff;
import io.orderpipeline.shared.TopicProvisioner;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Creates the topics ingest-api owns (its {@link NewTopic} beans: the commands and idempotency topics) through the
 * shared {@link TopicProvisioner}, in the background. ingest-api must start while Kafka is away (answering 503) and
 * heal when Kafka comes, so a provisioning that gives up ({@code orders.startup.timeout}) or fails in any other way
 * is logged and started again after a backoff, until it succeeds or the service stops; until then the {@code kafka}
 * health (and so readiness) is DOWN with the last error. An existing topic is left as it is.
 */
class TopicProvisioning implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioning.class);

    private final TopicProvisioner provisioner;
    private final List<NewTopic> topics;
    private final Backoff backoff;
    private volatile boolean running;
    private volatile boolean done;
    private volatile String lastError = "not tried yet";
    private volatile int attempts;
    private volatile Thread thread;

    TopicProvisioning(TopicProvisioner provisioner, List<NewTopic> topics, Duration firstRetry, Duration maxRetry) {
        this.provisioner = provisioner;
        this.topics = List.copyOf(topics);
        this.backoff = new Backoff(firstRetry, maxRetry);
    }

    /** Whether every topic exists with a leader for each partition. */
    boolean done() {
        return done;
    }

    /** "ready", or the state of the provisioning (attempts so far, last error). */
    String state() {
        return done ? "ready" : "provisioning (attempt " + attempts + "; last error: " + lastError + ")";
    }

    List<String> names() {
        return topics.stream().map(NewTopic::name).toList();
    }

    @Override
    public void start() {
        running = true;
        Thread provisioning = new Thread(this::provisionUntilDone, "topic-provisioning");
        provisioning.setDaemon(true);
        thread = provisioning;
        provisioning.start();
    }

    private void provisionUntilDone() {
        while (running) {
            attempts++;
            try {
                provisioner.ensure(topics);
                done = true;
                log.info("Topics {} ready", names());
                return;
            } catch (Throwable e) {
                // everything: the thread that would heal the service must not end while it runs
                if (!running) {
                    return;
                }
                lastError = String.valueOf(e.getMessage() == null ? e : e.getMessage());
                Duration pause = backoff.next();
                if (e instanceof IllegalStateException) {
                    // the provisioner gave up waiting (orders.startup.timeout) or met a non-retriable error
                    log.warn(
                            "Topics {} not provisioned (attempt {}): {}; trying again in {} ms",
                            names(),
                            attempts,
                            lastError,
                            pause.toMillis());
                } else {
                    log.error(
                            "Topics {} not provisioned (attempt {}), unexpected failure; trying again in {} ms",
                            names(),
                            attempts,
                            pause.toMillis(),
                            e);
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException stopping) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread provisioning = thread;
        if (provisioning != null) {
            provisioning.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 8192;
    }
}

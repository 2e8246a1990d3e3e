package io.orderpipeline.ingest.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Creates the topics ingest-api writes (its {@link NewTopic} beans) in the background, retrying until the broker
 * answers. Spring Kafka's {@code KafkaAdmin} would do it during start-up and hold the start for its timeouts when
 * Kafka is away; ingest-api must start anyway (answering 503) and heal when Kafka comes. An existing topic is left as
 * it is (another service may have created it first).
 */
class TopicCreator implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final Admin admin;
    private final List<NewTopic> topics;
    private volatile boolean running;
    private volatile Thread thread;

    TopicCreator(Admin admin, List<NewTopic> topics) {
        this.admin = admin;
        this.topics = List.copyOf(topics);
    }

    @Override
    public void start() {
        running = true;
        Thread creator = new Thread(this::createAll, "topic-creator");
        creator.setDaemon(true);
        thread = creator;
        creator.start();
    }

    private void createAll() {
        List<NewTopic> missing = new ArrayList<>(topics);
        while (running && !missing.isEmpty()) {
            Map<String, KafkaFuture<Void>> results = admin.createTopics(
                            missing, new CreateTopicsOptions().timeoutMs((int) RETRY.toMillis()))
                    .values();
            List<NewTopic> stillMissing = new ArrayList<>();
            for (NewTopic topic : missing) {
                try {
                    results.get(topic.name()).get(RETRY.toMillis() * 2, TimeUnit.MILLISECONDS);
                    log.info("Created topic {} ({} partitions)", topic.name(), topic.numPartitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        stillMissing.add(topic);
                        log.debug(
                                "Topic {} not created yet: {}",
                                topic.name(),
                                e.getCause().toString());
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    stillMissing.add(topic);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            missing = stillMissing;
            if (!missing.isEmpty()) {
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread creator = thread;
        if (creator != null) {
            creator.interrupt();
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

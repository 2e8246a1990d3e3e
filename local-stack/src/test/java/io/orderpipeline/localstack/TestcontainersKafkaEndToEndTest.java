package io.orderpipeline.localstack;

import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same end-to-end path on Apache Kafka's own image in a container (Testcontainers {@link KafkaContainer}, KRaft).
 * Skipped where no Docker engine runs, such as the CI machine.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersKafkaEndToEndTest extends OrderPipelineEndToEnd {

    /** The image docker-compose.yml runs, so both paths exercise the same broker. */
    static final String KAFKA_IMAGE = "apache/kafka:4.2.1";

    private KafkaContainer kafka;

    @Override
    protected String startKafka() {
        kafka = new KafkaContainer(KAFKA_IMAGE);
        kafka.start();
        return kafka.getBootstrapServers();
    }

    @Override
    protected void stopKafka() {
        if (kafka != null) {
            kafka.stop();
        }
    }
}

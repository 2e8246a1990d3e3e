package io.orderpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceProcessTest {

    @Test
    void shouldBeReadyWhenUpWithoutStreams() {
        // given ingest-api's health: UP, no Kafka Streams
        String health = "{\"components\":{\"kafka\":{\"status\":\"UP\"}},\"status\":\"UP\"}";

        // when / then
        assertThat(ServiceProcess.isReady(health)).isTrue();
    }

    @Test
    void shouldBeReadyOnlyOnceTheStreamsClientAndEveryThreadRun() {
        // given a stream-processor that counts a rebalance as UP
        String rebalancing = "{\"components\":{\"kafkaStreams\":{\"details\":{\"state\":\"REBALANCING\","
                + "\"threads\":[{\"state\":\"PARTITIONS_ASSIGNED\"}]},\"status\":\"UP\"}},\"status\":\"UP\"}";
        String running = "{\"components\":{\"kafkaStreams\":{\"details\":{\"state\":\"RUNNING\","
                + "\"threads\":[{\"state\":\"RUNNING\"}]},\"status\":\"UP\"}},\"status\":\"UP\"}";

        // when / then
        assertThat(ServiceProcess.isReady(rebalancing)).isFalse();
        assertThat(ServiceProcess.isReady(running)).isTrue();
    }

    @Test
    void shouldNotBeReadyWhenDown() {
        assertThat(ServiceProcess.isReady("{\"status\":\"DOWN\"}")).isFalse();
        assertThat(ServiceProcess.isReady("{\"status\":\"OUT_OF_SERVICE\"}")).isFalse();
    }
}

package io.orderpipeline.query.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.TcpForwarder;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A read side started while the schema registry is not up yet waits for it, and then serves every state written
 * before: none is skipped as unreadable (the read side's deserialization policy is otherwise log-and-skip).
 */
class RegistryAtStartTest {

    private static final String TOPIC = "orders.state.registry-" + UUID.randomUUID();

    private static TcpForwarder registry;
    private static QueryInstance instance;

    @AfterAll
    static void stop() throws Exception {
        if (instance != null) {
            instance.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldWaitForTheRegistryAndSkipNoStateWrittenBefore() throws Exception {
        // given states in the topic, and a registry that drops every connection
        List<String> orderIds = new ArrayList<>();
        try (Orders orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), TOPIC)) {
            for (int i = 0; i < 5; i++) {
                String orderId = "early-" + UUID.randomUUID();
                orders.send(Orders.state(orderId, "AAPL", OrderStatus.PENDING, 1, Instant.now()));
                orderIds.add(orderId);
            }
        }
        URI real = URI.create(TestStack.registryUrl());
        registry = new TcpForwarder(real);
        String url = "http://127.0.0.1:" + registry.port() + real.getPath();
        Path stateDir = Files.createTempDirectory("query-registry");

        // when the service starts
        CompletableFuture<QueryInstance> starting = CompletableFuture.supplyAsync(() -> QueryInstance.start(
                TOPIC, "query-registry-" + UUID.randomUUID(), stateDir, Map.of("orders.registry.url", url)));

        // then it waits for the registry, and once the registry answers it serves every state written before
        await().atMost(Duration.ofSeconds(60)).until(() -> registry.dropped() >= 2);
        assertThat(starting).isNotDone();
        registry.open();
        instance = starting.get(120, TimeUnit.SECONDS);
        for (String orderId : orderIds) {
            await().atMost(Duration.ofSeconds(60))
                    .alias(orderId)
                    .until(() -> instance.get("/orders/" + orderId).statusCode() == 200);
        }
    }
}

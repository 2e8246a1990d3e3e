package io.orderpipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.ingest.support.CommandTopicReader;
import io.orderpipeline.ingest.support.Http;
import io.orderpipeline.ingest.support.TestBroker;
import io.orderpipeline.ingest.support.TestRegistry;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The full HTTP path on a real broker and a real schema registry. */
@SpringBootTest(
        classes = IngestApiApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + IngestApiApplication.CONFIG_NAME)
class OrderIngestTest {

    static final String TOPIC = "orders.commands";
    static CommandTopicReader topic;

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestBroker::shared);
        registry.add("orders.registry.url", TestRegistry::url);
    }

    @BeforeAll
    static void openTopic() {
        topic = new CommandTopicReader(TestBroker.shared(), TestRegistry.url(), TOPIC);
    }

    @AfterAll
    static void closeTopic() {
        topic.close();
    }

    @Test
    void shouldWritePlaceCommandAndAnswer202WithLocation() {
        // given
        Http http = new Http(port);

        // when
        HttpResponse<String> response = http.postJson("/orders", Http.limitOrder("c-slice-1"));

        // then
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = Http.json(response);
        String orderId = body.get("orderId").stringValue();
        assertThat(body.get("status").stringValue()).isEqualTo("PENDING");
        assertThat(response.headers().firstValue("Location")).hasValue("/orders/" + orderId);
        List<OrderCommand> written = topic.commands().stream()
                .filter(c -> c.getOrderId().equals(orderId))
                .toList();
        assertThat(written).hasSize(1);
        OrderCommand command = written.get(0);
        assertThat(command.getType()).isEqualTo(CommandType.PLACE);
        assertThat(command.getAccountId()).isEqualTo("acc-1");
        assertThat(command.getClientOrderId()).isEqualTo("c-slice-1");
        assertThat(command.getSymbol()).isEqualTo("AAPL");
        assertThat(command.getSide()).isEqualTo(Side.BUY);
        assertThat(command.getOrderType()).isEqualTo(OrderType.LIMIT);
        assertThat(command.getQuantity()).isEqualTo(100);
        assertThat(command.getPrice()).isEqualTo(new BigDecimal("187.250000"));
        assertThat(command.getCommandId()).isEqualTo(body.get("commandId").stringValue());
        assertThat(command.getRequestedAt()).isNotNull();
    }
}

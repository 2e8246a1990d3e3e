package io.orderpipeline.bench.jmh;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.orderpipeline.bench.kafka.OrderFactory;
import io.orderpipeline.schemas.avro.OrderState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON on the HTTP edges with Jackson 3 (as Spring Boot 4 configures it): reading a POST /orders body into a record
 * (ingest-api's request side) and writing an OrderState view (query-ws-service's GET and STOMP side).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonMappingBenchmark {

    /** The wire contract's POST body. */
    public record PlaceOrder(
            String accountId,
            String clientOrderId,
            String symbol,
            String side,
            String orderType,
            long quantity,
            BigDecimal price) {}

    /** The wire contract's OrderState JSON. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OrderView(
            String orderId,
            String accountId,
            String clientOrderId,
            String symbol,
            String side,
            String orderType,
            long quantity,
            String price,
            String status,
            long version,
            int attempts,
            List<String> reasons,
            String exchangeOrderId,
            Instant nextAttemptAt,
            String lastError,
            Instant createdAt,
            Instant updatedAt) {

        static OrderView of(OrderState s) {
            return new OrderView(
                    s.getOrderId(),
                    s.getAccountId(),
                    s.getClientOrderId(),
                    s.getSymbol(),
                    s.getSide().name(),
                    s.getOrderType().name(),
                    s.getQuantity(),
                    s.getPrice() == null
                            ? null
                            : s.getPrice().stripTrailingZeros().toPlainString(),
                    s.getStatus().name(),
                    s.getVersion(),
                    s.getAttempts(),
                    s.getReasons(),
                    s.getExchangeOrderId(),
                    s.getNextAttemptAt(),
                    s.getLastError(),
                    s.getCreatedAt(),
                    s.getUpdatedAt());
        }
    }

    private final JsonMapper mapper = JsonMapper.builder().build();
    private byte[] postBody;
    private OrderState state;

    @Setup
    public void setUp() {
        OrderFactory orders = new OrderFactory("jmh", OrderFactory.fallbackProducts());
        postBody = orders.postBody("jmh", 1);
        state = orders.fillerState(1, orders.orderId(1), Instant.now());
    }

    @Benchmark
    public PlaceOrder readPostBody() {
        return mapper.readValue(postBody, PlaceOrder.class);
    }

    @Benchmark
    public byte[] writeOrderState() {
        return mapper.writeValueAsBytes(OrderView.of(state));
    }
}

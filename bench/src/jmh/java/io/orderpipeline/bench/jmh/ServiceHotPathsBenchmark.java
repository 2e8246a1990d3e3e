package io.orderpipeline.bench.jmh;

import io.orderpipeline.bench.kafka.OrderFactory;
import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.ingest.order.OrderRequestParser;
import io.orderpipeline.ingest.order.PlaceOrder;
import io.orderpipeline.processor.instrument.DefaultInstruments;
import io.orderpipeline.processor.validation.OrderValidator;
import io.orderpipeline.processor.validation.ValidationRules;
import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-request work of each service, through its public classes: ingest-api's strict request parser (what every
 * POST pays before the produce), the stream-processor's instrument validation, and query-ws-service's state-to-view
 * mapping plus JSON (what every GET and every STOMP push pays).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ServiceHotPathsBenchmark {

    private OrderRequestParser parser;
    private byte[] postBody;
    private OrderValidator validator;
    private OrderCommand command;
    private Instrument instrument;
    private OrderState state;
    private final JsonMapper mapper = JsonMapper.builder().build();

    @Setup
    public void setUp() {
        // ingest-api's settings with their documented defaults, bound the way Spring binds them
        IngestSettings settings = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("orders.ingest", IngestSettings.class);
        parser = new OrderRequestParser(settings);
        List<Instrument> instruments = DefaultInstruments.all();
        OrderFactory orders = new OrderFactory("jmh", OrderFactory.products(instruments));
        postBody = orders.postBody("jmh", 0);
        validator = new OrderValidator(ValidationRules.defaults());
        command = orders.placeCommand("jmh", 0, orders.orderId(0), Instant.now());
        instrument = instruments.stream()
                .filter(i -> i.getSymbol().equals(command.getSymbol()))
                .findFirst()
                .orElseThrow();
        if (!validator.validate(command, instrument).isEmpty()) {
            throw new IllegalStateException("benchmark order is invalid: " + validator.validate(command, instrument));
        }
        state = orders.fillerState(0, orders.orderId(0), Instant.now());
    }

    @Benchmark
    public PlaceOrder ingestParsePostBody() {
        return parser.parse(postBody);
    }

    @Benchmark
    public List<String> processorValidate() {
        return validator.validate(command, instrument);
    }

    @Benchmark
    public byte[] queryStateToJson() {
        return mapper.writeValueAsBytes(OrderView.from(state));
    }
}

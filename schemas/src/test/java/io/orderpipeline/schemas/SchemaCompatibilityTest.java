package io.orderpipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each topic's value schema must stay backward compatible with the previous released version, kept under
 * {@code src/test/resources/avro-baseline/}: a consumer on the new schema reads every record already on the topic.
 * When a release ships, copy {@code src/main/avro} over the baseline.
 */
class SchemaCompatibilityTest {

    static Stream<Schema> currentSchemas() {
        return Stream.of(
                OrderCommand.getClassSchema(),
                OrderState.getClassSchema(),
                OrderEvent.getClassSchema(),
                PlacementAttempt.getClassSchema(),
                Instrument.getClassSchema(),
                ExecutionReport.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void shouldReadRecordsWrittenWithThePreviousSchema(Schema current) throws IOException {
        // given
        Schema previous = baseline(current.getName());

        // when
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(current, previous);

        // then
        assertThat(result.getType())
                .as("%s vs baseline: %s", current.getName(), result.getDescription())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static Schema baseline(String name) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        for (String dependency :
                List.of("Side", "OrderType", "CommandType", "OrderStatus", "OrderEventType", "ExecutionType", "Fill")) {
            if (!dependency.equals(name)) {
                try (InputStream in = open(dependency)) {
                    parser.parse(in);
                }
            }
        }
        try (InputStream in = open(name)) {
            return parser.parse(in);
        }
    }

    private static InputStream open(String name) {
        InputStream in = SchemaCompatibilityTest.class.getResourceAsStream("/avro-baseline/" + name + ".avsc");
        assertThat(in).as("baseline schema %s", name).isNotNull();
        return in;
    }
}

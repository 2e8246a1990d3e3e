package io.orderpipeline.ingest.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.ingest.IngestSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class TransactionalIdsTest {

    @Test
    void shouldDeriveAStableIdFromHostAndPortByDefault() {
        // given / when
        String first = TransactionalIds.prefix(settings(Map.of()), 8080, () -> "ingest.host-1");
        String restarted = TransactionalIds.prefix(settings(Map.of()), 8080, () -> "ingest.host-1");

        // then
        assertThat(first).isEqualTo("ingest-api-ingest.host-1-8080").isEqualTo(restarted);
        assertThat(TransactionalIds.prefix(settings(Map.of()), null, () -> "h")).isEqualTo("ingest-api-h-8080");
        assertThat(TransactionalIds.prefix(settings(Map.of()), 8081, () -> "h")).isNotEqualTo(first);
    }

    @Test
    void shouldPreferTheConfiguredInstanceIdAndTransactionalId() {
        assertThat(TransactionalIds.prefix(settings(Map.of("orders.ingest.instance-id", "ingest-1")), 0, () -> "h"))
                .isEqualTo("ingest-api-ingest-1");
        assertThat(TransactionalIds.prefix(
                        settings(Map.of(
                                "orders.ingest.instance-id", "ingest-1",
                                "orders.ingest.producer.transactional-id", "orders-writer-a")),
                        8080,
                        () -> "h"))
                .isEqualTo("orders-writer-a");
    }

    @Test
    void shouldFallBackToARandomIdWhenThePortIsRandom() {
        // given server.port=0 and no instance id: nothing stable to derive an id from
        String one = TransactionalIds.prefix(settings(Map.of()), 0, () -> "h");
        String other = TransactionalIds.prefix(settings(Map.of()), 0, () -> "h");

        // then two instances side by side never share one (they would fence each other)
        assertThat(one).startsWith("ingest-api-").isNotEqualTo(other);
    }

    @Test
    void shouldKeepTheIdReadableWhateverTheHostNameHolds() {
        assertThat(TransactionalIds.prefix(settings(Map.of()), 9000, () -> "my host/ü"))
                .isEqualTo("ingest-api-my_host__-9000");
    }

    private static IngestSettings settings(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("orders.ingest", IngestSettings.class);
    }
}

package io.orderpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.processor.placement.ExchangeLedger;
import io.orderpipeline.processor.placement.SimulatedExchange;
import io.orderpipeline.schemas.AvroSerdes;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** Store, processor and sink names are part of the contract: changelog topics and upgrades depend on them. */
class TopologyNamesTest {

    @Test
    void shouldKeepStableNamesForStoresProcessorsAndSinks() {
        // given
        StreamsBuilder builder = OrderTopology.build(
                new StreamsBuilder(),
                TopologySettings.defaults(),
                AvroSerdes.inMemory(),
                new SimulatedExchange(
                        SimulatedExchange.Settings.reliable(), Clock.systemUTC(), ExchangeLedger.inMemory()),
                Clock.systemUTC());

        // when
        TopologyDescription description = builder.build().describe();

        // then
        Set<String> nodes = new HashSet<>();
        Set<String> stores = new HashSet<>();
        for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                nodes.add(node.name());
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                }
            }
        }
        description
                .globalStores()
                .forEach(global -> stores.addAll(global.processor().stores()));
        assertThat(stores)
                .containsExactlyInAnyOrder(
                        "orders-by-id",
                        "placement-schedule",
                        "instruments-by-symbol",
                        "account-client-orders",
                        "account-reservations",
                        "account-exposure");
        assertThat(nodes)
                .contains(
                        "commands-source",
                        "join-instrument",
                        "executions-source",
                        "wrap-executions",
                        "merge-executions",
                        "retry-0-source",
                        "retry-2-source",
                        "order-lifecycle",
                        "state-sink",
                        "events-sink",
                        "dead-letter-sink",
                        "retry-0-sink",
                        "retry-2-sink")
                .doesNotContain("account-requests-source", "account-ledger", "account-decisions-sink")
                .noneMatch(name -> name.matches(".*-\\d{10}$"));
        // one exactly-once hop from command to state: everything in one sub-topology
        assertThat(description.subtopologies()).hasSize(1);
    }
}

package io.orderpipeline.processor.venue;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.fixgateway.VenueUnavailableException;
import io.orderpipeline.processor.placement.ReplaceRequest;
import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.processor.testing.OrderTopologyFixture;
import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.ExecutionType;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** An amend the FIX session did not take after all is refused on the venue's behalf, so the order can be amended again. */
class UnsentAmendTest {

    @Test
    void shouldRefuseAnAmendTheSessionDidNotSendAndTakeTheNextOne() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given an amend from 10 to 30 that the session dropped (logged out between the check and the send)
            fixture.send(OrderCommands.place("o-1").buy(10).limit("190.00").build());
            fixture.venue().acknowledge("o-1");
            fixture.amend("o-1", 30, null);
            ReplaceRequest lost = fixture.venue().replaces("o-1").get(0);
            ExecutionReport refusal = FixExchangeGateway.unsentRefusal(
                    lost,
                    new CompletionException(new VenueUnavailableException("FIX.4.4:PIPELINE-1->VENUE did not send")),
                    "FIX.4.4:PIPELINE-1->VENUE",
                    Instant.parse("2026-12-01T19:00:00Z"));

            // when the gateway's refusal comes back through orders.executions
            fixture.venue().send(refusal);

            // then the amend is refused, with the cause, and the order takes the next amend
            assertThat(refusal.getType()).isEqualTo(ExecutionType.REPLACE_REJECTED);
            assertThat(refusal.getClientRequestId()).isEqualTo(lost.requestId());
            OrderState refused = fixture.state("o-1").orElseThrow();
            assertThat(refused.getPendingRequest()).isNull();
            assertThat(refused.getQuantity()).isEqualTo(10L);
            assertThat(fixture.events("o-1").get(fixture.events("o-1").size() - 1))
                    .satisfies(event -> {
                        assertThat(event.getType()).isEqualTo(OrderEventType.AMEND_REJECTED);
                        assertThat(event.getDetail()).contains("not sent to the venue");
                    });
            fixture.amend("o-1", 20, null);
            List<ReplaceRequest> replaces = fixture.venue().replaces("o-1");
            assertThat(replaces).hasSize(2);
            assertThat(replaces.get(1).quantity()).isEqualTo(20L);
            assertThat(fixture.state("o-1").orElseThrow().getPendingRequest()).isEqualTo("AMEND");
        }
    }
}

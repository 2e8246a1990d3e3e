package io.orderpipeline.bench.sustained;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BatchScenarioTest {

    @Test
    void shouldRunAgainstAnEndpointThatAcceptsTheProbe() {
        assertThat(BatchScenario.verdict(202, "{\"accepted\":2,\"rejected\":0,\"items\":[]}"))
                .isNull();
    }

    @Test
    void shouldSayTheEndpointIsMissingOn404Or405() {
        assertThat(BatchScenario.verdict(404, "{\"status\":404}")).contains("answered 404", "not there");
        assertThat(BatchScenario.verdict(405, "")).contains("answered 405", "not there");
    }

    @Test
    void shouldQuoteTheAnswerOfAnyOtherRefusal() {
        assertThat(BatchScenario.verdict(400, "{\"title\":\"Bad Request\",\n \"detail\":\"items\"}"))
                .contains("answered 400", "{\"title\":\"Bad Request\", \"detail\":\"items\"}");
    }
}

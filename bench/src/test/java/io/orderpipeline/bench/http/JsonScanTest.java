package io.orderpipeline.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonScanTest {

    @Test
    void shouldReadTopLevelStringAndNumberFieldsWithOrWithoutSpaces() {
        // given
        byte[] json = "{\"orderId\" : \"0190-a\",\"status\":\"PLACED\", \"version\": 12,\"symbolX\":\"no\"}"
                .getBytes(StandardCharsets.UTF_8);
        // when / then
        assertThat(JsonScan.stringField(json, "orderId")).isEqualTo("0190-a");
        assertThat(JsonScan.stringField(json, "status")).isEqualTo("PLACED");
        assertThat(JsonScan.longField(json, "version", -1)).isEqualTo(12);
        assertThat(JsonScan.stringField(json, "symbol")).isNull();
        assertThat(JsonScan.stringField(json, "version")).isNull();
    }

    @Test
    void shouldReadEveryOrderIdOfABatchAnswerAndSkipRefusedItems() {
        // given a batch answer with two accepted items and one refused item (no order id)
        byte[] json =
                ("{\"accepted\":2,\"rejected\":1,\"items\":[{\"index\":0,\"orderId\":\"a-1\",\"status\":\"ACCEPTED\"},"
                                + "{\"index\":1,\"orderId\":null,\"status\":\"REJECTED\"},"
                                + "{\"index\":2, \"orderId\" : \"a-3\",\"status\":\"ACCEPTED\"}]}")
                        .getBytes(StandardCharsets.UTF_8);

        // when
        var ids = JsonScan.stringFields(json, "orderId");

        // then
        assertThat(ids).containsExactly("a-1", "a-3");
        assertThat(JsonScan.longField(json, "rejected", -1)).isEqualTo(1);
    }
}

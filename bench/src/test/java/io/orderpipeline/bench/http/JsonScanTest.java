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
}

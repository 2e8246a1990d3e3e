package io.orderpipeline.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseParserTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldCompleteContentLengthResponseOnlyWhenTheLastByteArrivesInAnySlicing() {
        // given
        byte[] response = bytes("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n"
                + "{\"orderId\":\"o-1\"}\n");
        for (int cut = 1; cut < response.length; cut++) {
            HttpResponseParser parser = new HttpResponseParser();
            // when
            boolean early = parser.feed(response, 0, cut);
            boolean done = parser.feed(response, cut, response.length - cut);
            // then
            assertThat(early).as("cut at %d", cut).isFalse();
            assertThat(done).isTrue();
            assertThat(parser.status()).isEqualTo(202);
            assertThat(new String(parser.body(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\":\"o-1\"}\n");
            assertThat(parser.closeAfter()).isFalse();
        }
    }

    @Test
    void shouldDecodeChunkedBodyFedOneByteAtATime() {
        // given
        byte[] response = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n");
        HttpResponseParser parser = new HttpResponseParser();
        // when
        boolean done = false;
        int completedAt = -1;
        for (int i = 0; i < response.length && !done; i++) {
            done = parser.feed(response, i, 1);
            completedAt = i;
        }
        // then
        assertThat(done).isTrue();
        assertThat(completedAt).isEqualTo(response.length - 1);
        assertThat(new String(parser.body(), StandardCharsets.UTF_8)).isEqualTo("hello, world");
    }

    @Test
    void shouldReportConnectionCloseAndResetForTheNextResponse() {
        // given
        HttpResponseParser parser = new HttpResponseParser();
        byte[] first = bytes("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        byte[] second = bytes("HTTP/1.1 204 No Content\r\n\r\n");
        // when
        assertThat(parser.feed(first, 0, first.length)).isTrue();
        boolean closeAfterFirst = parser.closeAfter();
        parser.reset();
        boolean secondDone = parser.feed(second, 0, second.length);
        // then
        assertThat(closeAfterFirst).isTrue();
        assertThat(secondDone).isTrue();
        assertThat(parser.status()).isEqualTo(204);
        assertThat(parser.closeAfter()).isFalse();
        assertThat(parser.body()).isEmpty();
    }
}

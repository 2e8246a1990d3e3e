package io.orderpipeline.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrivalsTest {

    @Test
    void shouldScheduleOpenModelCallsAtFixedIntervalsFromTheStartWhateverTheCallerIsLate() {
        // given: 1000/s for 10 ms starting at t=1_000_000 ns
        List<Long> intended = new ArrayList<>();
        try (LoadLoop loop = new LoadLoop(1000)) {
            LoadLoop.Endpoint endpoint = loop.endpoint(URI.create("http://127.0.0.1:1"), 1);
            Arrivals.Open open = Arrivals.open(1000, Long.MAX_VALUE, 10_000_000, 1_000_000, (seq, due) -> {
                intended.add(due);
                return new LoadLoop.Call(endpoint, new byte[0], due, null, null);
            });
            // when: the driver is polled late, 5.5 ms after the start, then after the end
            long next = open.emitDue(6_500_000, loop);
            open.emitDue(50_000_000, loop);
            // then: calls carry their scheduled times, not the late poll time
            assertThat(next).isEqualTo(7_000_000);
            assertThat(intended)
                    .containsExactly(
                            1_000_000L,
                            2_000_000L,
                            3_000_000L,
                            4_000_000L,
                            5_000_000L,
                            6_000_000L,
                            7_000_000L,
                            8_000_000L,
                            9_000_000L,
                            10_000_000L);
            assertThat(open.finished(50_000_000)).isTrue();
            assertThat(loop.inFlight()).isEqualTo(10);
        }
    }

    @Test
    void shouldStopOpenModelAtTheCallBound() {
        // given
        try (LoadLoop loop = new LoadLoop(1000)) {
            LoadLoop.Endpoint endpoint = loop.endpoint(URI.create("http://127.0.0.1:1"), 1);
            Arrivals.Open open = Arrivals.open(
                    1_000_000,
                    3,
                    1_000_000_000,
                    0,
                    (seq, due) -> new LoadLoop.Call(endpoint, new byte[0], due, null, null));
            // when
            long next = open.emitDue(1_000_000_000, loop);
            // then
            assertThat(open.emitted()).isEqualTo(3);
            assertThat(next).isEqualTo(Long.MAX_VALUE);
            assertThat(open.finished(0)).isTrue();
        }
    }
}

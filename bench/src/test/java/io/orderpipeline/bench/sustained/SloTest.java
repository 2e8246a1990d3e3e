package io.orderpipeline.bench.sustained;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.bench.http.LatencyRecorder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SloTest {

    private static final Slo SLO = new Slo(0.001, 250, 0.25, 100);
    private static final SustainedStep.Spec SPEC = new SustainedStep.Spec(
            "t",
            1000,
            1,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            SustainedStep.Outcome.STOMP_PLACED);

    private static LatencyRecorder latencies(int n, long millis) {
        LatencyRecorder rec = new LatencyRecorder();
        for (int i = 0; i < n; i++) {
            rec.ok(millis * 1_000_000, i);
        }
        return rec;
    }

    @Test
    void shouldHoldWhenEveryOrderIsDoneInTimeAndTheBacklogIsFlat() {
        // given
        var step = new SustainedStep.Result(
                SPEC, latencies(1000, 80), latencies(1000, 5), 1000, 1000, 0, new long[] {80, 90, 80, 85});

        // when / then
        assertThat(SLO.violations(step)).isEmpty();
    }

    @Test
    void shouldNameEveryViolation() {
        // given a slow step with request errors, orders never done and a growing backlog
        LatencyRecorder requests = latencies(990, 5);
        for (int i = 0; i < 10; i++) {
            requests.error("http 503", i);
        }
        LatencyRecorder latency = latencies(900, 400);
        long[] backlog = new long[31];
        for (int i = 0; i < backlog.length; i++) {
            backlog[i] = 100L * i;
        }
        var step = new SustainedStep.Result(SPEC, latency, requests, 1000, 900, 10, backlog);

        // when
        var why = SLO.violations(step);

        // then
        assertThat(why).hasSize(4);
        assertThat(why.get(0)).startsWith("request errors 1.00%");
        assertThat(why.get(1)).isEqualTo("100 of 1000 orders not done");
        assertThat(why.get(2)).isEqualTo("p99 400 ms > 250 ms");
        assertThat(why.get(3)).startsWith("backlog grew by 3000 orders over 30 s");
    }

    @Test
    void shouldFailAStepWithoutAnyAcceptedOrder() {
        var step = new SustainedStep.Result(SPEC, new LatencyRecorder(), new LatencyRecorder(), 0, 0, 0, new long[0]);
        assertThat(SLO.violations(step)).containsExactly("no order accepted");
    }
}

package io.orderpipeline.bench.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupLogTest {

    @Test
    void shouldReadTheProcessTimeOfTheLastStartUp() {
        // given a log with two start-ups (the file is appended across restarts)
        String log = "2026-12-01T11:52:12.748Z  INFO 18880 --- [main] i.o.p.StreamProcessorApplication"
                + "         : Started StreamProcessorApplication in 8.251 seconds (process running for 8.976)\n"
                + "... SIGKILL ...\n"
                + "2026-12-01T11:53:14.880Z  INFO 19355 --- [main] i.o.p.StreamProcessorApplication"
                + "         : Started StreamProcessorApplication in 14.442 seconds (process running for 16.374)\n";

        // when / then
        assertThat(StartupLog.processSeconds(log)).hasValue(16.374);
    }

    @Test
    void shouldFindNothingInALogWithoutAStartUp() {
        assertThat(StartupLog.processSeconds("Starting StreamProcessorApplication using Java 17\n"))
                .isEmpty();
    }
}

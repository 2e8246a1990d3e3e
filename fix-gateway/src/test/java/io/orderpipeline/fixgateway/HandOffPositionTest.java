package io.orderpipeline.fixgateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandOffPositionTest {

    @TempDir
    Path dir;

    @Test
    void shouldResumeAtTheFirstReportNotYetConfirmed() {
        // given
        HandOffPosition position = HandOffPosition.load(dir.resolve("s.handed-on"));

        // when
        position.started(7);
        position.started(8);
        position.started(9);
        position.done(8);

        // then
        assertThat(position.resumePoint()).isEqualTo(7);
        position.done(7);
        assertThat(position.resumePoint()).isEqualTo(9);
        position.done(9);
        assertThat(position.resumePoint()).isEqualTo(10);
    }

    @Test
    void shouldBeUnknownWithoutAFileAndReadTheWrittenOneBack() {
        // given
        Path file = dir.resolve("s.handed-on");
        HandOffPosition position = HandOffPosition.load(file);
        assertThat(position.resumePoint()).isZero();
        assertThat(position.rewind()).isZero();

        // when
        position.started(41);
        position.started(42);
        position.done(42);
        position.persist();

        // then
        assertThat(HandOffPosition.load(file).resumePoint()).isEqualTo(41);
    }

    @Test
    void shouldKeepAFailedReportUntilTheRewindAndThenStartOver() {
        // given
        HandOffPosition position = HandOffPosition.load(dir.resolve("s.handed-on"));
        position.started(3);
        position.started(4);
        position.started(5);

        // when
        position.failed();
        position.done(3);
        position.done(5);

        // then
        assertThat(position.rewindDue()).isTrue();
        assertThat(position.resumePoint()).isEqualTo(4);
        assertThat(position.rewind()).isEqualTo(4);
        assertThat(position.rewindDue()).isFalse();
        assertThat(position.resumePoint()).isEqualTo(4);
        position.started(4);
        position.done(4);
        assertThat(position.resumePoint()).isEqualTo(5);
    }
}

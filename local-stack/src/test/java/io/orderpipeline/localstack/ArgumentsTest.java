package io.orderpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void shouldDefaultToOneInstanceEach() {
        assertThat(Arguments.parse()).isEqualTo(new Arguments(false, false, 1, 1));
    }

    @Test
    void shouldReadInstanceCountsInBothSpellings() {
        assertThat(Arguments.parse("--processors", "2", "--query-instances=3", "--reset"))
                .isEqualTo(new Arguments(true, false, 2, 3));
    }

    @Test
    void shouldRejectUnknownFlagsAndBadCounts() {
        assertThatThrownBy(() -> Arguments.parse("--bogus")).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> Arguments.parse("--processors")).hasMessageContaining("needs a number");
        assertThatThrownBy(() -> Arguments.parse("--processors", "0")).hasMessageContaining("1 to 9");
        assertThatThrownBy(() -> Arguments.parse("--query-instances=x")).hasMessageContaining("'x'");
    }
}

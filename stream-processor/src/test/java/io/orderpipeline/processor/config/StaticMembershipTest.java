package io.orderpipeline.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StaticMembershipTest {

    @Test
    void shouldPreferTheConfiguredInstanceId() {
        // given an instance id / when / then it names the member, made safe for a client id
        assertThat(StaticMembership.groupInstanceId("order-processor", "proc 1", 8082, () -> "box"))
                .contains("order-processor-proc_1");
    }

    @Test
    void shouldDeriveTheIdFromHostAndPortWhenThePortIsFixed() {
        // given no instance id, a fixed port (null is Spring Boot's default 8080) / when / then
        assertThat(StaticMembership.groupInstanceId("order-processor", "", 8083, () -> "box.local"))
                .contains("order-processor-box.local-8083");
        assertThat(StaticMembership.groupInstanceId("order-processor", "", null, () -> "box"))
                .contains("order-processor-box-8080");
    }

    @Test
    void shouldStayADynamicMemberOnARandomPort() {
        // given server.port=0, which changes on every start / when / then no static id
        assertThat(StaticMembership.groupInstanceId("order-processor", "", 0, () -> "box"))
                .isEmpty();
    }
}

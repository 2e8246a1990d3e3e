package io.orderpipeline.ingest.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderpipeline.ingest.IngestMetrics;
import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.ingest.command.CommandNotWrittenException;
import io.orderpipeline.ingest.idempotency.IdempotencyConflictException;
import io.orderpipeline.ingest.idempotency.IdempotencyStoreUnavailableException;
import io.orderpipeline.ingest.support.TestIssuer;
import io.orderpipeline.ingest.web.ProblemWriter;
import io.orderpipeline.ingest.web.WebSecurity;
import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The web layer alone: status codes, headers and problem bodies, with the intake replaced by a stub. The security
 * chain is the service's own ({@link WebSecurity}), fed real tokens of the real issuer ({@link TestIssuer}).
 */
@WebMvcTest(OrderController.class)
@Import({
    OrderControllerTest.Beans.class,
    OrderRequestParser.class,
    ProblemWriter.class,
    IngestMetrics.class,
    WebSecurity.class
})
@ImportAutoConfiguration({
    SecurityAutoConfiguration.class,
    ServletWebSecurityAutoConfiguration.class,
    io.orderpipeline.security.SecurityAutoConfiguration.class
})
class OrderControllerTest {

    static final String VALID = """
            {"accountId":"acc-1","clientOrderId":"c-42","symbol":"AAPL","side":"BUY",\
            "orderType":"LIMIT","quantity":100,"price":"187.25"}""";
    /** An order id of acc-1 (routed to it), so trader-1 may cancel it. */
    static final String ORDER_ID = OrderRouting.route(UUID.fromString("0195f0c2-7a1e-7c3d-9f00-0123456789ab"), "acc-1")
            .toString();

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestIssuer::issuerUri);
    }

    @TestConfiguration
    @EnableConfigurationProperties(IngestSettings.class)
    static class Beans {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    MeterRegistry meters;

    @MockitoBean
    OrderIntake intake;

    @Test
    void shouldAnswer202WithLocationOnceTheCommandIsAcknowledged() throws Exception {
        // given
        PlaceOrder expected =
                new PlaceOrder("acc-1", "c-42", "AAPL", Side.BUY, OrderType.LIMIT, 100, new BigDecimal("187.250000"));
        given(intake.place(eq(expected), eq("trader-1"), eq(Optional.empty()))).willReturn(accepted(false));

        // when
        ResultActions result =
                async(post("/orders").contentType(MediaType.APPLICATION_JSON).content(VALID));

        // then
        result.andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/orders/" + ORDER_ID))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.orderId").value(ORDER_ID))
                .andExpect(jsonPath("$.status").value("PENDING"))
                .andExpect(jsonPath("$.clientOrderId").value("c-42"))
                .andExpect(header().doesNotExist("Idempotent-Replayed"));
    }

    @Test
    void shouldAnswer400ProblemNamingEveryBadFieldAndHeaderWithoutWriting() throws Exception {
        // given
        String body = """
                {"accountId":"acc-1","clientOrderId":"c-1","symbol":"AAPL","side":"BUY",\
                "orderType":"MARKET","quantity":-1,"price":"10","colour":"red"}""";

        double rejectedBefore = rejected("invalid");

        // when
        ResultActions result = perform(post("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "has space")
                .content(body));

        // then
        result.andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:orderpipeline:problem:invalid-request"))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.instance").value("/orders"))
                .andExpect(jsonPath("$.errors", hasSize(4)))
                .andExpect(jsonPath("$.errors[*].field")
                        .value(containsInAnyOrder("Idempotency-Key", "colour", "quantity", "price")));
        verifyNoInteractions(intake);
        assertThat(rejected("invalid")).isEqualTo(rejectedBefore + 1);
    }

    @Test
    void shouldAnswer400ForMalformedJsonWithItsPosition() throws Exception {
        // when
        ResultActions result =
                perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"accountId\": acc}"));

        // then
        result.andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("body"))
                .andExpect(jsonPath("$.errors[0].code").value("malformed"))
                .andExpect(
                        jsonPath("$.errors[0].message").value(org.hamcrest.Matchers.containsString("line 1, column")));
        verifyNoInteractions(intake);
    }

    @Test
    void shouldAnswer400ForEmptyBody() throws Exception {
        // when
        ResultActions result = perform(post("/orders").contentType(MediaType.APPLICATION_JSON));

        // then
        result.andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("body"))
                .andExpect(jsonPath("$.errors[0].code").value("required"));
        verifyNoInteractions(intake);
    }

    @Test
    void shouldAnswer415ForContentTypesOtherThanJson() throws Exception {
        // when
        ResultActions text =
                perform(post("/orders").contentType(MediaType.TEXT_PLAIN).content(VALID));
        ResultActions none = perform(post("/orders").content(VALID));

        // then
        for (ResultActions result : new ResultActions[] {text, none}) {
            result.andExpect(status().isUnsupportedMediaType())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.errors[0].field").value("Content-Type"))
                    .andExpect(header().string("Accept", "application/json"));
        }
        verifyNoInteractions(intake);
    }

    @Test
    void shouldAnswer413ForBodiesAboveTheLimit() throws Exception {
        // given a body over the default 16 KB
        String body = "{\"accountId\":\"" + "a".repeat(17 * 1024) + "\"}";

        // when
        ResultActions result =
                perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(body));

        // then
        result.andExpect(status().isPayloadTooLarge())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:orderpipeline:problem:payload-too-large"));
        verifyNoInteractions(intake);
    }

    @Test
    void shouldReplayTheOriginalAcceptanceWith200ForARepeatedKey() throws Exception {
        // given
        given(intake.place(any(), any(), eq(Optional.of("key-1")))).willReturn(accepted(true));

        // when
        ResultActions result = async(post("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "key-1")
                .content(VALID));

        // then
        result.andExpect(status().isOk())
                .andExpect(header().string("Idempotent-Replayed", "true"))
                .andExpect(header().string("Location", "/orders/" + ORDER_ID))
                .andExpect(jsonPath("$.orderId").value(ORDER_ID));
    }

    @Test
    void shouldAnswer422WhenTheKeyWasUsedWithAnotherBody() throws Exception {
        // given
        given(intake.place(any(), any(), eq(Optional.of("key-1"))))
                .willReturn(CompletableFuture.failedFuture(new IdempotencyConflictException(ORDER_ID)));

        // when
        ResultActions result = async(post("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "key-1")
                .content(VALID));

        // then
        result.andExpect(status().isUnprocessableContent())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaDoesNotAcknowledge() throws Exception {
        // given
        given(intake.place(any(), any(), any()))
                .willReturn(CompletableFuture.failedFuture(
                        new CommandNotWrittenException(ORDER_ID, new TimeoutException("expired"))));

        // when
        ResultActions result =
                async(post("/orders").contentType(MediaType.APPLICATION_JSON).content(VALID));

        // then
        result.andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "2"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:orderpipeline:problem:kafka-unavailable"));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenKeysCannotBeChecked() throws Exception {
        // given
        given(intake.place(any(), any(), any()))
                .willReturn(CompletableFuture.failedFuture(new IdempotencyStoreUnavailableException("loading", null)));

        // when
        ResultActions result = async(post("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "k")
                .content(VALID));

        // then
        result.andExpect(status().isServiceUnavailable()).andExpect(header().exists("Retry-After"));
    }

    @Test
    void shouldAnswer202ForACancel() throws Exception {
        // given
        UUID id = UUID.fromString(ORDER_ID);
        given(intake.cancel(id, Optional.of("acc-1"), "trader-1", Optional.empty()))
                .willReturn(CompletableFuture.completedFuture(new OrderIntake.Acceptance(
                        new CommandAccepted(ORDER_ID, "CANCEL_REQUESTED", "cmd-1", null, null, "2026-01-01T00:00:00Z"),
                        false)));

        // when
        ResultActions result = async(post("/orders/{id}/cancel", ORDER_ID));

        // then
        result.andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/orders/" + ORDER_ID))
                .andExpect(jsonPath("$.status").value("CANCEL_REQUESTED"))
                .andExpect(jsonPath("$.accountId").doesNotExist());
        verify(intake).cancel(id, Optional.of("acc-1"), "trader-1", Optional.empty());
    }

    @Test
    void shouldAnswer400ForACancelOfSomethingThatIsNotAnOrderId() throws Exception {
        // when
        ResultActions result = perform(post("/orders/{id}/cancel", "not-an-id"));

        // then
        result.andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("orderId"));
        verifyNoInteractions(intake);
    }

    @Test
    void shouldAnswer202ForAnAmendWithTheRoutedAccountAndTheCaller() throws Exception {
        // given
        UUID id = UUID.fromString(ORDER_ID);
        AmendOrder change = new AmendOrder(150, new BigDecimal("187.300000"));
        given(intake.amend(id, Optional.of("acc-1"), change, "trader-1", Optional.empty()))
                .willReturn(CompletableFuture.completedFuture(new OrderIntake.Acceptance(
                        new CommandAccepted(ORDER_ID, "AMEND_REQUESTED", "cmd-2", null, null, "2026-01-01T00:00:00Z"),
                        false)));

        // when as PATCH (JSON number and decimal string alike) and as the POST alias
        ResultActions patch = async(patch("/orders/{id}", ORDER_ID)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"quantity\":150,\"price\":\"187.30\"}"));
        ResultActions alias = async(post("/orders/{id}/replace", ORDER_ID)
                .contentType("application/merge-patch+json")
                .content("{\"price\":187.3,\"quantity\":150}"));

        // then
        for (ResultActions result : new ResultActions[] {patch, alias}) {
            result.andExpect(status().isAccepted())
                    .andExpect(header().string("Location", "/orders/" + ORDER_ID))
                    .andExpect(jsonPath("$.status").value("AMEND_REQUESTED"))
                    .andExpect(jsonPath("$.commandId").value("cmd-2"));
        }
        verify(intake, times(2)).amend(id, Optional.of("acc-1"), change, "trader-1", Optional.empty());
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaDoesNotAcknowledgeAnAmend() throws Exception {
        // given
        given(intake.amend(any(), any(), any(), any(), any()))
                .willReturn(CompletableFuture.failedFuture(
                        new CommandNotWrittenException(ORDER_ID, new TimeoutException("expired"))));

        // when
        ResultActions result = async(patch("/orders/{id}", ORDER_ID)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"quantity\":150}"));

        // then
        result.andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "2"))
                .andExpect(jsonPath("$.type").value("urn:orderpipeline:problem:kafka-unavailable"));
    }

    @Test
    void shouldAnswer400NamingEveryBadFieldOfAnAmendWithoutWriting() throws Exception {
        // when
        ResultActions empty = perform(patch("/orders/{id}", ORDER_ID)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{}"));
        ResultActions bad = perform(patch("/orders/{id}", "not-an-id")
                .contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "has space")
                .content("{\"quantity\":\"150\",\"price\":-1,\"side\":\"SELL\"}"));
        ResultActions zero = perform(patch("/orders/{id}", ORDER_ID)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"quantity\":0,\"price\":\"1.0000001\"}"));

        // then
        empty.andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("body"))
                .andExpect(jsonPath("$.errors[0].code").value("required"));
        bad.andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field")
                        .value(containsInAnyOrder("Idempotency-Key", "orderId", "side", "quantity", "price")));
        zero.andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].code").value(containsInAnyOrder("out_of_range", "scale")));
        verifyNoInteractions(intake);
    }

    private double rejected(String reason) {
        Counter counter =
                meters.find("ingest.orders.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** As trader-1 (acc-1, acc-2; orders:write). */
    private ResultActions perform(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header("Authorization", "Bearer " + TestIssuer.token(TestIssuer.TRADER_1)));
    }

    private ResultActions async(MockHttpServletRequestBuilder request) throws Exception {
        MvcResult started = perform(request).andExpect(request().asyncStarted()).andReturn();
        return mvc.perform(asyncDispatch(started));
    }

    private static CompletableFuture<OrderIntake.Acceptance> accepted(boolean replayed) {
        return CompletableFuture.completedFuture(new OrderIntake.Acceptance(
                new CommandAccepted(ORDER_ID, "PENDING", "cmd-1", "acc-1", "c-42", "2026-01-01T00:00:00Z"), replayed));
    }
}

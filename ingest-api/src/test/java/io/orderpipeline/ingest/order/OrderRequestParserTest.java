package io.orderpipeline.ingest.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.unit.DataSize;

class OrderRequestParserTest {

    static final IngestSettings SETTINGS = new IngestSettings(
            "",
            new IngestSettings.Limits(DataSize.ofKilobytes(16), 1_000_000, new BigDecimal("1000000000"), 64, 16, true),
            new IngestSettings.Producer(
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(3),
                    Duration.ZERO,
                    Duration.ofSeconds(2),
                    "",
                    Duration.ofSeconds(10),
                    1000,
                    10000,
                    2),
            new IngestSettings.Idempotency(Duration.ofHours(24), 255, Duration.ofSeconds(2)),
            new IngestSettings.Batch(1000, DataSize.ofMegabytes(1)));

    final OrderRequestParser parser = new OrderRequestParser(SETTINGS);

    @Test
    void shouldParseLimitOrderWithStringPriceAtWireScale() {
        // given
        String body = """
                {"accountId":"acc-1","clientOrderId":"c-42","symbol":"AAPL","side":"BUY",
                 "orderType":"LIMIT","quantity":100,"price":"187.25"}""";

        // when
        PlaceOrder order = parse(body);

        // then
        assertThat(order)
                .isEqualTo(new PlaceOrder(
                        "acc-1", "c-42", "AAPL", Side.BUY, OrderType.LIMIT, 100, new BigDecimal("187.250000")));
        assertThat(order.price().scale()).isEqualTo(6);
    }

    @Test
    void shouldAcceptNumericPriceExactlyWithoutBinaryRounding() {
        // given a price that a double cannot hold exactly
        String body = limit("\"quantity\":1,\"price\":0.000001");

        // when
        PlaceOrder order = parse(body);

        // then
        assertThat(order.price()).isEqualTo(new BigDecimal("0.000001"));
    }

    @Test
    void shouldParseMarketOrderWithoutPriceOrWithNullPrice() {
        // given
        String absent = market("");
        String explicitNull = market(",\"price\":null");

        // when
        PlaceOrder first = parse(absent);
        PlaceOrder second = parse(explicitNull);

        // then
        assertThat(first.price()).isNull();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldGiveSameFingerprintForDifferentSpellingsOfTheSameOrder() {
        // given
        PlaceOrder asString = parse(limit("\"quantity\":100,\"price\":\"187.25\""));
        PlaceOrder asNumber = parse(limit("\"price\":187.2500,\"quantity\":100"));
        PlaceOrder otherQuantity = parse(limit("\"quantity\":101,\"price\":\"187.25\""));

        // then
        assertThat(asNumber.fingerprint()).isEqualTo(asString.fingerprint());
        assertThat(otherQuantity.fingerprint()).isNotEqualTo(asString.fingerprint());
    }

    @Test
    void shouldNameEveryBadFieldAtOnce() {
        // given
        String body = """
                {"accountId":"","clientOrderId":42,"symbol":"aapl","side":"HOLD","orderType":"LIMIT",
                 "quantity":0,"price":"1.2345678","qty":5,"extra":true}""";

        // when
        InvalidRequestException e = invalid(body);

        // then
        assertThat(e.violations())
                .extracting(FieldViolation::field, FieldViolation::code)
                .containsExactlyInAnyOrder(
                        tuple("extra", "unknown_field"),
                        tuple("qty", "unknown_field"),
                        tuple("accountId", "required"),
                        tuple("clientOrderId", "type"),
                        tuple("symbol", "format"),
                        tuple("side", "enum"),
                        tuple("quantity", "out_of_range"),
                        tuple("price", "scale"));
    }

    @Test
    void shouldReportEveryMissingField() {
        // when
        InvalidRequestException e = invalid("{}");

        // then
        assertThat(e.violations())
                .extracting(FieldViolation::field)
                .containsExactly("accountId", "clientOrderId", "symbol", "side", "orderType", "quantity");
        assertThat(e.violations()).extracting(FieldViolation::code).containsOnly("required");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty body                    |                                              | body     | required
            whitespace body               | '  \n '                                       | body     | required
            malformed JSON                | {"accountId":                                | body     | malformed
            trailing garbage              | {} {}                                        | body     | malformed
            duplicate member              | {"side":"BUY","side":"SELL"}                 | body     | malformed
            array instead of object       | [1,2]                                        | body     | type
            string instead of object      | "order"                                      | body     | type
            """)
    void shouldRefuseBodiesThatAreNotOneJsonObject(String name, String body, String field, String code) {
        // when
        InvalidRequestException e = invalid(body == null ? "" : body.replace("\\n", "\n"));

        // then
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.code()).isEqualTo(code);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            quantity as string            | "quantity":"100","price":"1"           | quantity | type
            quantity as decimal           | "quantity":100.0,"price":"1"           | quantity | type
            quantity negative             | "quantity":-5,"price":"1"              | quantity | out_of_range
            quantity absurd               | "quantity":1000001,"price":"1"         | quantity | out_of_range
            quantity beyond long          | "quantity":99999999999999999999999,"price":"1" | quantity | out_of_range
            quantity boolean              | "quantity":true,"price":"1"            | quantity | type
            price zero                    | "quantity":1,"price":0                 | price    | out_of_range
            price negative string         | "quantity":1,"price":"-1"              | price    | format
            price absurd                  | "quantity":1,"price":"1000000000.01"   | price    | out_of_range
            price with exponent string    | "quantity":1,"price":"1e2"             | price    | format
            price with spaces             | "quantity":1,"price":" 1.5"            | price    | format
            price seven decimals          | "quantity":1,"price":1.0000001         | price    | scale
            price boolean                 | "quantity":1,"price":false             | price    | type
            price object                  | "quantity":1,"price":{"v":1}           | price    | type
            LIMIT without price           | "quantity":1                           | price    | required
            LIMIT with null price         | "quantity":1,"price":null              | price    | required
            """)
    void shouldRefuseBadQuantityAndPrice(String name, String members, String field, String code) {
        // when
        InvalidRequestException e = invalid(limit(members));

        // then
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.code()).isEqualTo(code);
        });
    }

    @Test
    void shouldRefuseMarketOrderWithPrice() {
        // when
        InvalidRequestException e = invalid(market(",\"price\":\"187.25\""));

        // then
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("price");
            assertThat(v.code()).isEqualTo("not_allowed");
        });
    }

    @Test
    void shouldRefuseOverlongAndNonPrintableStrings() {
        // given
        String longId = "a".repeat(65);
        String body = """
                {"accountId":"%s","clientOrderId":"c 1","symbol":"ABCDEFGHIJKLMNOPQ","side":"buy",
                 "orderType":"STOP","quantity":1,"price":"1"}""".formatted(longId);

        // when
        InvalidRequestException e = invalid(body);

        // then
        assertThat(e.violations())
                .extracting(FieldViolation::field, FieldViolation::code)
                .containsExactlyInAnyOrder(
                        tuple("accountId", "too_long"),
                        tuple("clientOrderId", "format"),
                        tuple("symbol", "too_long"),
                        tuple("side", "enum"),
                        tuple("orderType", "enum"));
    }

    @Test
    void shouldIgnoreUnknownFieldsWhenConfiguredLenient() {
        // given
        IngestSettings lenient = new IngestSettings(
                "",
                new IngestSettings.Limits(
                        DataSize.ofKilobytes(16), 1_000_000, new BigDecimal("1000000000"), 64, 16, false),
                SETTINGS.producer(),
                SETTINGS.idempotency(),
                SETTINGS.batch());

        // when
        PlaceOrder order = new OrderRequestParser(lenient)
                .parse(limit("\"quantity\":1,\"price\":\"1\",\"note\":\"hi\"").getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(order.quantity()).isEqualTo(1);
    }

    static String limit(String quantityAndPrice) {
        return "{\"accountId\":\"acc-1\",\"clientOrderId\":\"c-1\",\"symbol\":\"AAPL\",\"side\":\"BUY\","
                + "\"orderType\":\"LIMIT\"," + quantityAndPrice + "}";
    }

    static String market(String priceMember) {
        return "{\"accountId\":\"acc-1\",\"clientOrderId\":\"c-1\",\"symbol\":\"AAPL\",\"side\":\"SELL\","
                + "\"orderType\":\"MARKET\",\"quantity\":10" + priceMember + "}";
    }

    @Test
    void shouldParseAnAmendOfQuantityPriceOrBothKeepingWhatIsAbsentOrNull() {
        // given / when
        AmendOrder quantity = parser.parseAmend(bytes("{\"quantity\":150,\"price\":null}"));
        AmendOrder price = parser.parseAmend(bytes("{\"price\":187.3}"));
        AmendOrder both = parser.parseAmend(bytes("{\"price\":\"187.30\",\"quantity\":150}"));

        // then
        assertThat(quantity).isEqualTo(new AmendOrder(150, null));
        assertThat(price).isEqualTo(new AmendOrder(AmendOrder.KEEP_QUANTITY, new BigDecimal("187.300000")));
        assertThat(both).isEqualTo(new AmendOrder(150, new BigDecimal("187.300000")));
    }

    @Test
    void shouldRefuseAnAmendNamingNoChangeOrABadOneWithEveryViolation() {
        // given / when / then
        assertThatThrownBy(() -> parser.parseAmend(bytes("{\"quantity\":null,\"price\":null}")))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.violations())
                                .extracting(FieldViolation::field, FieldViolation::code)
                                .containsExactly(tuple("body", "required")));
        assertThatThrownBy(() -> parser.parseAmend(bytes("{\"quantity\":-5,\"price\":\"1e3\",\"symbol\":\"MSFT\"}")))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.violations())
                                .extracting(FieldViolation::field, FieldViolation::code)
                                .containsExactlyInAnyOrder(
                                        tuple("symbol", "unknown_field"),
                                        tuple("quantity", "out_of_range"),
                                        tuple("price", "format")));
        assertThatThrownBy(() -> parser.parseAmend(bytes("[1]"))).isInstanceOf(InvalidRequestException.class);
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private PlaceOrder parse(String body) {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private InvalidRequestException invalid(String body) {
        InvalidRequestException e = catchThrowableOfType(
                InvalidRequestException.class, () -> parser.parse(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(e).as("expected %s to be refused", body).isNotNull();
        return e;
    }
}

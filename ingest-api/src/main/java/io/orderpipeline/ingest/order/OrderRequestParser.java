package io.orderpipeline.ingest.order;

import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a raw {@code POST /orders} body into a {@link PlaceOrder} (and a {@code PATCH /orders/{id}} body into an {@link
 * AmendOrder}), or an {@link InvalidRequestException} that names
 * <em>every</em> bad field at once. The body is read as a JSON tree rather than bound to a class, because binding
 * stops at the first wrong type and cannot tell a missing field from a null or a number from a numeric string.
 *
 * <p>Rules (the wire contract in {@code docs/ARCHITECTURE.md}, made strict):
 *
 * <ul>
 *   <li>the body is one JSON object; no duplicate members, no trailing content;
 *   <li>{@code accountId}, {@code clientOrderId}: strings of 1..{@code maxIdLength} printable ASCII characters
 *       without spaces;
 *   <li>{@code symbol}: 1..{@code maxSymbolLength} characters of {@code A-Z 0-9 . -}, starting with a letter or
 *       digit (upper case only: symbols are identifiers, not free text);
 *   <li>{@code side}: {@code BUY}|{@code SELL}; {@code orderType}: {@code LIMIT}|{@code MARKET} (exact case);
 *   <li>{@code quantity}: a JSON integer in 1..{@code maxQuantity} (not a string, not {@code 1.0});
 *   <li>{@code price}: a JSON number or a plain decimal string ({@code "187.25"}), &gt; 0, at most 6 decimal places
 *       (trailing zeros do not count), at most {@code maxPrice}; required for LIMIT; for MARKET it must be absent or
 *       {@code null};
 *   <li>any other member is refused ({@code unknown_field}) unless {@code orders.ingest.limits.reject-unknown-fields}
 *       is {@code false}: a typo such as {@code "qty"} must not silently become a different order.
 * </ul>
 */
@Component
public class OrderRequestParser {

    static final Set<String> FIELDS =
            Set.of("accountId", "clientOrderId", "symbol", "side", "orderType", "quantity", "price");
    static final Set<String> AMEND_FIELDS = Set.of("quantity", "price");

    private static final Pattern ID = Pattern.compile("[\\x21-\\x7E]+");
    private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9][A-Z0-9.\\-]*");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,30}(\\.[0-9]{1,30})?");
    private static final int WIRE_SCALE = 6;

    private final IngestSettings.Limits limits;
    private final JsonMapper mapper;

    public OrderRequestParser(IngestSettings settings) {
        this.limits = settings.limits();
        this.mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * @param body the raw request body, {@code null} when there was none
     * @throws InvalidRequestException listing every violation
     */
    public PlaceOrder parse(byte[] body) {
        return parse(readTree(body, "a JSON object"));
    }

    /**
     * One order of a batch, checked exactly as a {@code POST /orders} body is (the same rules, the same violations).
     *
     * @throws InvalidRequestException listing every violation
     */
    public PlaceOrder parse(JsonNode root) {
        if (!root.isObject()) {
            throw invalid("body", "type", "expected a JSON object, got " + describe(root));
        }
        List<FieldViolation> violations = new ArrayList<>();
        unknownFields(root, FIELDS, violations);
        String accountId = id(root, "accountId", violations);
        String clientOrderId = id(root, "clientOrderId", violations);
        String symbol = symbol(root, violations);
        Side side = enumeration(root, "side", Side.class, violations);
        OrderType orderType = enumeration(root, "orderType", OrderType.class, violations);
        long quantity = quantity(root, violations);
        BigDecimal price = price(root, orderType, violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return new PlaceOrder(accountId, clientOrderId, symbol, side, orderType, quantity, price);
    }

    /**
     * A {@code PATCH /orders/{id}} body: {@code quantity} and/or {@code price}, each checked exactly as in a {@code POST
     * /orders} body (a JSON integer in 1..{@code maxQuantity}; a JSON number or decimal string, positive, at most 6
     * decimals); a member that is absent or {@code null} keeps the order's value, but at least one must be given.
     * Unknown members are refused as for a POST. Whether the amend suits the order (its type, lot, tick, band, limit,
     * what is filled already) is the stream-processor's decision.
     *
     * @throws InvalidRequestException listing every violation
     */
    public AmendOrder parseAmend(byte[] body) {
        JsonNode root = readTree(body, "a JSON object with quantity and/or price");
        if (!root.isObject()) {
            throw invalid("body", "type", "expected a JSON object, got " + describe(root));
        }
        List<FieldViolation> violations = new ArrayList<>();
        unknownFields(root, AMEND_FIELDS, violations);
        JsonNode quantityNode = root.get("quantity");
        JsonNode priceNode = root.get("price");
        boolean noQuantity = quantityNode == null || quantityNode.isNull();
        boolean noPrice = priceNode == null || priceNode.isNull();
        if (noQuantity && noPrice) {
            violations.add(new FieldViolation(
                    "body", "required", "must name a new quantity and/or a new price, e.g. {\"quantity\":150}"));
        }
        long quantity = noQuantity ? AmendOrder.KEEP_QUANTITY : quantityValue(quantityNode, violations);
        BigDecimal price = noPrice ? null : priceValue(priceNode, violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return new AmendOrder(quantity, price);
    }

    /**
     * A {@code POST /orders/batch} body: a JSON array of 1 to {@code maxItems} elements, returned unchecked (each is
     * then {@linkplain #parse(JsonNode) parsed} on its own, so that one bad order does not hide the others).
     *
     * @throws InvalidRequestException the body is empty, malformed, not an array, or an empty array
     * @throws BatchTooLargeException the array has more than {@code maxItems} elements
     */
    public List<JsonNode> parseBatch(byte[] body, int maxItems) {
        JsonNode root = readTree(body, "a JSON array of orders");
        if (!root.isArray()) {
            throw invalid("body", "type", "expected a JSON array of orders, got " + describe(root));
        }
        if (root.isEmpty()) {
            throw invalid("body", "required", "the batch is empty; expected 1 to " + maxItems + " orders");
        }
        if (root.size() > maxItems) {
            throw new BatchTooLargeException(root.size(), maxItems);
        }
        List<JsonNode> items = new ArrayList<>(root.size());
        root.forEach(items::add);
        return items;
    }

    private void unknownFields(JsonNode root, Set<String> fields, List<FieldViolation> violations) {
        if (limits.rejectUnknownFields()) {
            root.propertyNames().stream()
                    .filter(name -> !fields.contains(name))
                    .sorted()
                    .forEach(name -> violations.add(new FieldViolation(
                            name,
                            "unknown_field",
                            "is not part of the order contract; known fields: "
                                    + String.join(", ", new TreeSet<>(fields)))));
        }
    }

    private JsonNode readTree(byte[] body, String expected) {
        if (body == null || isBlank(body)) {
            throw invalid("body", "required", "request body is empty; expected " + expected);
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw invalid("body", "malformed", "malformed JSON" + where + ": " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw invalid("body", "required", "request body is empty; expected " + expected);
        }
        return root;
    }

    private String id(JsonNode root, String field, List<FieldViolation> violations) {
        String value = requiredString(root, field, violations);
        if (value == null) {
            return null;
        }
        if (value.length() > limits.maxIdLength()) {
            violations.add(tooLong(field, limits.maxIdLength()));
        } else if (!ID.matcher(value).matches()) {
            violations.add(new FieldViolation(
                    field, "format", "must be printable ASCII without spaces or control characters"));
        }
        return value;
    }

    private String symbol(JsonNode root, List<FieldViolation> violations) {
        String value = requiredString(root, "symbol", violations);
        if (value == null) {
            return null;
        }
        if (value.length() > limits.maxSymbolLength()) {
            violations.add(tooLong("symbol", limits.maxSymbolLength()));
        } else if (!SYMBOL.matcher(value).matches()) {
            violations.add(new FieldViolation(
                    "symbol", "format", "must be upper-case letters, digits, '.' or '-', e.g. \"AAPL\""));
        }
        return value;
    }

    private <E extends Enum<E>> E enumeration(
            JsonNode root, String field, Class<E> type, List<FieldViolation> violations) {
        String value = requiredString(root, field, violations);
        if (value == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        violations.add(new FieldViolation(field, "enum", "must be one of " + names(type) + ", got " + quote(value)));
        return null;
    }

    private long quantity(JsonNode root, List<FieldViolation> violations) {
        JsonNode node = root.get("quantity");
        if (node == null || node.isNull()) {
            violations.add(required("quantity"));
            return 0;
        }
        return quantityValue(node, violations);
    }

    /** A present {@code quantity}: a JSON integer in 1..{@code maxQuantity}; 0 (and a violation) otherwise. */
    private long quantityValue(JsonNode node, List<FieldViolation> violations) {
        if (!node.isIntegralNumber()) {
            violations.add(
                    new FieldViolation("quantity", "type", "must be a JSON integer (e.g. 100), got " + describe(node)));
            return 0;
        }
        BigInteger value = node.bigIntegerValue();
        if (value.signum() <= 0 || value.compareTo(BigInteger.valueOf(limits.maxQuantity())) > 0) {
            violations.add(new FieldViolation(
                    "quantity", "out_of_range", "must be between 1 and " + limits.maxQuantity() + ", got " + value));
            return 0;
        }
        return value.longValueExact();
    }

    private BigDecimal price(JsonNode root, OrderType orderType, List<FieldViolation> violations) {
        JsonNode node = root.get("price");
        boolean absent = node == null || node.isNull();
        if (orderType == OrderType.MARKET) {
            if (!absent) {
                violations.add(
                        new FieldViolation("price", "not_allowed", "must be absent (or null) for a MARKET order"));
            }
            return null;
        }
        if (absent) {
            if (orderType == OrderType.LIMIT) {
                violations.add(new FieldViolation("price", "required", "is required for a LIMIT order"));
            }
            return null;
        }
        return priceValue(node, violations);
    }

    /** A present {@code price}: a positive decimal at the wire scale; {@code null} (and a violation) otherwise. */
    private BigDecimal priceValue(JsonNode node, List<FieldViolation> violations) {
        BigDecimal price;
        if (node.isNumber()) {
            price = node.decimalValue();
        } else if (node.isString() && DECIMAL.matcher(node.stringValue()).matches()) {
            price = new BigDecimal(node.stringValue());
        } else if (node.isString()) {
            violations.add(new FieldViolation(
                    "price", "format", "must be a plain decimal such as \"187.25\", got " + quote(node.stringValue())));
            return null;
        } else {
            violations.add(new FieldViolation(
                    "price", "type", "must be a JSON number or a decimal string, got " + describe(node)));
            return null;
        }
        if (price.signum() <= 0 || price.compareTo(limits.maxPrice()) > 0) {
            violations.add(new FieldViolation(
                    "price",
                    "out_of_range",
                    "must be greater than 0 and at most " + limits.maxPrice().toPlainString() + ", got "
                            + price.toPlainString()));
            return null;
        }
        if (price.stripTrailingZeros().scale() > WIRE_SCALE) {
            violations.add(new FieldViolation(
                    "price",
                    "scale",
                    "must have at most " + WIRE_SCALE + " decimal places, got " + price.toPlainString()));
            return null;
        }
        return price.setScale(WIRE_SCALE, RoundingMode.UNNECESSARY);
    }

    private static String requiredString(JsonNode root, String field, List<FieldViolation> violations) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            violations.add(required(field));
            return null;
        }
        if (!node.isString()) {
            violations.add(new FieldViolation(field, "type", "must be a JSON string, got " + describe(node)));
            return null;
        }
        String value = node.stringValue();
        if (value.isEmpty()) {
            violations.add(new FieldViolation(field, "required", "must not be empty"));
            return null;
        }
        return value;
    }

    private static FieldViolation required(String field) {
        return new FieldViolation(field, "required", "is required");
    }

    private static FieldViolation tooLong(String field, int max) {
        return new FieldViolation(field, "too_long", "must be at most " + max + " characters");
    }

    private static InvalidRequestException invalid(String field, String code, String message) {
        return new InvalidRequestException(List.of(new FieldViolation(field, code, message)));
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "an integer" : "a decimal number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }

    private static String quote(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return "\"" + shown + "\"";
    }

    private static <E extends Enum<E>> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    }
}

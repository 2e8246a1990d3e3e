package io.orderpipeline.bench.http;

import java.nio.charset.StandardCharsets;

/**
 * Reads one top-level string field out of a small JSON document without a parser. The load generator reads the
 * order id of every 202 and the status of every GET; a full parse there would cost more CPU than the request. Only
 * used on our services' own responses (flat field names, no escapes in ids or enum values).
 */
public final class JsonScan {

    private JsonScan() {}

    /** The value of {@code "name":"value"}, or null when absent or not a string. */
    public static String stringField(byte[] json, String name) {
        byte[] key = ('"' + name + '"').getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(json, key, 0);
        while (at >= 0) {
            int i = at + key.length;
            while (i < json.length && isSpace(json[i])) {
                i++;
            }
            if (i < json.length && json[i] == ':') {
                i++;
                while (i < json.length && isSpace(json[i])) {
                    i++;
                }
                if (i >= json.length || json[i] != '"') {
                    return null;
                }
                int start = i + 1;
                int end = start;
                while (end < json.length && json[end] != '"') {
                    end++;
                }
                return new String(json, start, end - start, StandardCharsets.UTF_8);
            }
            at = indexOf(json, key, at + 1);
        }
        return null;
    }

    /**
     * Every string value of a field {@code name}, in document order, at any depth (e.g. each item's {@code orderId}
     * in a batch answer); fields whose value is not a string ({@code null}) are skipped.
     */
    public static java.util.List<String> stringFields(byte[] json, String name) {
        byte[] key = ('"' + name + '"').getBytes(StandardCharsets.US_ASCII);
        java.util.List<String> values = new java.util.ArrayList<>();
        for (int at = indexOf(json, key, 0); at >= 0; at = indexOf(json, key, at + key.length)) {
            int i = at + key.length;
            while (i < json.length && isSpace(json[i])) {
                i++;
            }
            if (i >= json.length || json[i] != ':') {
                continue; // the name appeared as a value
            }
            i++;
            while (i < json.length && isSpace(json[i])) {
                i++;
            }
            if (i < json.length && json[i] == '"') {
                int end = i + 1;
                while (end < json.length && json[end] != '"') {
                    end++;
                }
                values.add(new String(json, i + 1, end - i - 1, StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** The value of {@code "name":123}, or {@code missing} when absent or not a number. */
    public static long longField(byte[] json, String name, long missing) {
        byte[] key = ('"' + name + '"').getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(json, key, 0);
        if (at < 0) {
            return missing;
        }
        int i = at + key.length;
        while (i < json.length && (isSpace(json[i]) || json[i] == ':')) {
            i++;
        }
        long value = 0;
        int digits = 0;
        while (i < json.length && json[i] >= '0' && json[i] <= '9') {
            value = value * 10 + (json[i] - '0');
            i++;
            digits++;
        }
        return digits == 0 ? missing : value;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

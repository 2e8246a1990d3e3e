package io.orderpipeline.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The loop accepts exactly what Spring Security's StrictHttpFirewall patterns accept. */
class HeaderCharactersTest {

    /** StrictHttpFirewall 7.1's patterns, copied: header (and parameter) names, and header values. */
    private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    private static final Pattern VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void shouldAcceptExactlyWhatTheFirewallsPatternsAccept() {
        // given edge cases and 20,000 seeded random strings over ASCII, Latin-1, controls, unassigned and surrogates
        List<String> samples = new ArrayList<>(List.of(
                "",
                "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0cmFkZXItMSJ9.c2ln",
                "a\tb",
                "\t",
                "line\nbreak",
                "nul\u0000",
                "del\u007f",
                "c1\u0085",
                "caf\u00e9",
                "\u0378", // unassigned
                "emoji \ud83d\ude00",
                "lone \ud83d",
                "\udc00 low",
                "\u2028"));
        Random random = new Random(12);
        int[] ranges = {0x00, 0x20, 0x7E, 0x7F, 0x9F, 0xFF, 0x377, 0x378, 0xD7FF, 0xD800, 0xDFFF, 0xFFFF};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                text.append(
                        random.nextInt(4) == 0
                                ? (char) ranges[random.nextInt(ranges.length)]
                                : (char) (0x20 + random.nextInt(0x60)));
            }
            samples.add(text.toString());
        }

        // when / then
        for (String sample : samples) {
            assertThat(HeaderCharacters.NAMES.test(sample))
                    .as("name %s", escape(sample))
                    .isEqualTo(NAMES.matcher(sample).matches());
            assertThat(HeaderCharacters.VALUES.test(sample))
                    .as("value %s", escape(sample))
                    .isEqualTo(VALUES.matcher(sample).matches());
        }
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(String.format("\\u%04x", c)));
        return out.toString();
    }
}

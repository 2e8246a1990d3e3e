package io.orderpipeline.bench.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

    @Test
    void shouldSumUserAndSystemTicksEvenWhenTheCommandNameHasSpacesAndParentheses() {
        // given: utime 250 ticks, stime 50 ticks
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 1000 0 0";
        // when / then
        assertThat(ProcFs.cpuNanosFromStat(stat)).isEqualTo(3_000_000_000L);
    }

    @Test
    void shouldFindListeningSocketsOfAPortInBothAddressFamilies(@TempDir Path dir) throws Exception {
        // given: 127.0.0.1:8080 LISTEN (inode 111), an established 8080 socket (222), ::ffff:127.0.0.1:8081 LISTEN
        Path tcp = dir.resolve("tcp");
        Files.writeString(
                tcp,
                String.join(
                        "\n",
                        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1",
                        "   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 222 1"));
        Path tcp6 = dir.resolve("tcp6");
        Files.writeString(
                tcp6,
                String.join(
                        "\n",
                        "  sl  local_address                         remote_address                        st tx_queue rx_queue"
                                + " tr tm->when retrnsmt   uid  timeout inode",
                        "   0: 0000000000000000FFFF00000100007F:1F91 00000000000000000000000000000000:0000 0A"
                                + " 00000000:00000000 00:00000000 00000000     0        0 333 1"));
        // when / then
        assertThat(ProcFs.listeningInodes(tcp, 8080)).containsExactly("111");
        assertThat(ProcFs.listeningInodes(tcp6, 8081)).containsExactly("333");
        assertThat(ProcFs.listeningInodes(tcp, 8081)).isEmpty();
        assertThat(ProcFs.nulSeparated("java\0-jar\0x.jar\0".getBytes(StandardCharsets.UTF_8)))
                .containsExactly("java", "-jar", "x.jar");
    }
}

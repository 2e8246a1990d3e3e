package io.orderpipeline.query.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.query.view.IndexedOrder;
import io.orderpipeline.query.view.LocalOrderStore;
import io.orderpipeline.query.view.LocalPage;
import io.orderpipeline.query.view.OrderViewStreams;
import io.orderpipeline.query.view.PageQuery;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two query instances of one Streams application on a real broker: each owns some partitions, holds standby copies of
 * the others, forwards key queries to the owner and gathers listings from both.
 */
class TwoInstancesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ORDERS = 300;

    private final String topic = "orders.state.two-" + UUID.randomUUID();
    private final String applicationId = "query-two-" + UUID.randomUUID();
    private final Map<String, String> settings = Map.of("orders.query.standby-replicas", "1");
    private QueryInstance a;
    private QueryInstance b;

    @AfterEach
    void stop() {
        for (QueryInstance instance : new QueryInstance[] {a, b}) {
            if (instance != null) {
                instance.close();
            }
        }
    }

    @Test
    void shouldServeEveryOrderFromBothInstancesIncludingWhileOneRestarts() throws Exception {
        // given two instances, each active for some partitions and standby for the others
        Path stateA = Files.createTempDirectory("query-a");
        Path stateB = Files.createTempDirectory("query-b");
        a = QueryInstance.start(topic, applicationId, stateA, settings);
        b = QueryInstance.start(topic, applicationId, stateB, settings);
        List<String> ids = new ArrayList<>();
        List<String> ofAcc1 = new ArrayList<>();
        List<String> ofAcc3 = new ArrayList<>();
        try (Orders orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), topic)) {
            Instant base = Instant.now().minusSeconds(3600);
            for (int i = 0; i < ORDERS; i++) {
                // every tenth order is trader-2's (acc-3), the others trader-1's (acc-1)
                String account = i % 10 == 0 ? "acc-3" : "acc-1";
                String orderId = Orders.routedId(account);
                ids.add(orderId);
                (account.equals("acc-3") ? ofAcc3 : ofAcc1).add(orderId);
                orders.sendAsync(Orders.state(orderId, account, "AAPL", OrderStatus.PENDING, 1, base.plusMillis(i)));
                orders.sendAsync(Orders.state(orderId, account, "AAPL", OrderStatus.PLACED, 2, base.plusMillis(i)));
            }
            orders.flush();
        }
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> splitWithStandbys(a) && splitWithStandbys(b));

        // when both are up: then every order is readable from both, and a listing on either gathers all of them
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    for (String id : ids) {
                        assertThat(a.get("/orders/" + id).statusCode())
                                .as("A " + id)
                                .isEqualTo(200);
                        assertThat(b.get("/orders/" + id).statusCode())
                                .as("B " + id)
                                .isEqualTo(200);
                    }
                });
        assertThat(listAll(a)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(listAll(b)).containsExactlyInAnyOrderElementsOf(ids);
        // and a trader, whose queries are forwarded with its own token, sees its orders only, on either instance
        for (QueryInstance instance : List.of(a, b)) {
            String trader1 = TestIssuer.trader1();
            String trader2 = TestIssuer.trader2();
            for (String id : ofAcc1) {
                assertThat(instance.get("/orders/" + id, trader1).statusCode()).isEqualTo(200);
                assertThat(instance.get("/orders/" + id, trader2).statusCode()).isEqualTo(404);
            }
            for (String id : ofAcc3) {
                assertThat(instance.get("/orders/" + id, trader2).statusCode()).isEqualTo(200);
                assertThat(instance.get("/orders/" + id, trader1).statusCode()).isEqualTo(404);
            }
            assertThat(listAll(instance, trader1)).containsExactlyInAnyOrderElementsOf(ofAcc1);
            assertThat(listAll(instance, trader2)).containsExactlyInAnyOrderElementsOf(ofAcc3);
        }
        // and a standby copy, which keeps no index, answers a page with exactly what the active copy's index gives
        assertStandbysPageLikeActives(a, b);
        assertStandbysPageLikeActives(b, a);

        // when B restarts (with its state directory) while a client keeps reading every order from A
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Set<String> readDuringRestart = ConcurrentHashMap.newKeySet();
        AtomicLong slowest = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicBoolean reading = new AtomicBoolean(true);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(
                () -> {
                    int requests = 0;
                    int next = 0;
                    while (reading.get()) {
                        // every 25th request is a listing, which needs a copy of every partition
                        boolean listing = ++requests % 25 == 0;
                        String id = listing ? null : ids.get(next++ % ids.size());
                        String path = listing ? "/orders?limit=50" : "/orders/" + id;
                        long started = System.nanoTime();
                        try {
                            HttpResponse<String> response = a.get(path);
                            reads.incrementAndGet();
                            if (response.statusCode() != 200) {
                                failures.add(path + " -> " + response.statusCode() + " " + response.body());
                            } else if (!path.startsWith("/orders?")) {
                                readDuringRestart.add(id);
                            }
                        } catch (RuntimeException e) {
                            failures.add(path + " -> " + e);
                        } finally {
                            slowest.accumulateAndGet(System.nanoTime() - started, Math::max);
                        }
                    }
                },
                runnable -> new Thread(runnable, "reader").start());
        b.close();
        b = null;
        await().atMost(Duration.ofSeconds(60)).until(() -> ownsAllPartitions(a));
        b = QueryInstance.start(topic, applicationId, stateB, settings);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> splitWithStandbys(a) && splitWithStandbys(b));
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> readDuringRestart.size() == ids.size() || !failures.isEmpty() || reader.isDone());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "reads=" + reads.get() + " distinct=" + readDuringRestart.size() + " slowest="
                            + Duration.ofNanos(slowest.get()) + " reader done=" + reader.isDone(),
                    e);
        }
        reading.set(false);
        reader.join();

        // then A answered every request while B was away and came back, promptly
        assertThat(failures).as("non-200 answers from A during the restart").isEmpty();
        assertThat(reads.get()).isGreaterThan(ids.size());
        assertThat(Duration.ofNanos(slowest.get())).isLessThan(Duration.ofSeconds(3));
        // and the restarted B serves every order again
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    for (String id : ids) {
                        HttpResponse<String> response = b.get("/orders/" + id);
                        assertThat(response.statusCode()).as("B " + id).isEqualTo(200);
                        assertThat(JSON.readTree(response.body()).get("status").asString())
                                .isEqualTo("PLACED");
                    }
                });
        assertThat(listAll(b)).containsExactlyInAnyOrderElementsOf(ids);
    }

    private static void assertStandbysPageLikeActives(QueryInstance standby, QueryInstance active) {
        Set<Integer> partitions = new HashSet<>();
        for (ThreadMetadata thread :
                standby.bean(OrderViewStreams.class).streams().metadataForLocalThreads()) {
            thread.standbyTasks().forEach(task -> partitions.add(task.taskId().partition()));
        }
        LocalOrderStore standbyStore = standby.bean(LocalOrderStore.class);
        long fullScans = standbyStore.fullScans();
        String cursor = active.bean(LocalOrderStore.class)
                .page(new PageQuery(null, null, null, 10), partitions)
                .items()
                .get(9)
                .sortKey();
        for (PageQuery query : List.of(
                new PageQuery(null, null, null, 40),
                new PageQuery("PLACED", "AAPL", null, 25),
                new PageQuery(null, "AAPL", cursor, 30))) {
            LocalPage fromStandby = standbyStore.page(query, partitions);
            LocalPage fromActive = active.bean(LocalOrderStore.class).page(query, partitions);
            assertThat(fromStandby.missingPartitions()).isEmpty();
            assertThat(fromStandby.items()).hasSize(query.count());
            assertThat(fromStandby.items())
                    .extracting(IndexedOrder::sortKey)
                    .containsExactlyElementsOf(fromActive.items().stream()
                            .map(IndexedOrder::sortKey)
                            .toList());
        }
        assertThat(standbyStore.fullScans()).isGreaterThan(fullScans);
    }

    /** Both instances hold active tasks, and this one also holds standby tasks: the steady state of two instances. */
    private static boolean splitWithStandbys(QueryInstance instance) {
        KafkaStreams streams = instance.bean(OrderViewStreams.class).streamsOrNull();
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        int active = 0;
        int standby = 0;
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            active += thread.activeTasks().size();
            standby += thread.standbyTasks().size();
        }
        return active > 0 && standby > 0 && active + standby == 3;
    }

    private static boolean ownsAllPartitions(QueryInstance instance) {
        KafkaStreams streams = instance.bean(OrderViewStreams.class).streamsOrNull();
        return streams != null
                && streams.state() == KafkaStreams.State.RUNNING
                && streams.metadataForLocalThreads().stream()
                                .mapToInt(t -> t.activeTasks().size())
                                .sum()
                        == 3;
    }

    private static List<String> listAll(QueryInstance instance) {
        return listAll(instance, TestIssuer.ops());
    }

    private static List<String> listAll(QueryInstance instance, String token) {
        List<String> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            HttpResponse<String> response =
                    instance.get("/orders?limit=70" + (cursor == null ? "" : "&cursor=" + cursor), token);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(response.body());
            for (JsonNode item : page.get("items")) {
                String id = item.get("orderId").asString();
                assertThat(seen.add(id)).as("duplicate " + id).isTrue();
                all.add(id);
            }
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asString();
        } while (cursor != null);
        return all;
    }
}

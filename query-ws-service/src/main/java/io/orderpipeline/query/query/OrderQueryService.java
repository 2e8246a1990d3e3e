package io.orderpipeline.query.query;

import io.orderpipeline.query.view.IndexedOrder;
import io.orderpipeline.query.view.InstanceAddress;
import io.orderpipeline.query.view.LocalOrderStore;
import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.query.view.OrderViewStreams;
import io.orderpipeline.query.view.OrderViewTopology;
import io.orderpipeline.query.view.PageQuery;
import io.orderpipeline.query.view.PartitionAnswer;
import io.orderpipeline.query.view.PositionTotals;
import io.orderpipeline.query.view.QueryProperties;
import io.orderpipeline.query.view.StoreUnavailableException;
import io.orderpipeline.schemas.OrderTopics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Answers queries from whichever instance holds the data. A key query goes to the partition's active copy
 * ({@code queryMetadataForKey}), locally or forwarded over HTTP; if that copy cannot answer (rebalance, restart,
 * unreachable) the standbys are asked in turn, which may return slightly stale data (KIP-535). A listing gathers one
 * copy of every partition — active preferred, standby otherwise — scans each from the cursor and merges the results on
 * the sort key. If some partition has no copy that answers, the request fails fast with
 * {@link StoreUnavailableException} (503 + Retry-After) rather than returning a page with a hole in it.
 */
@Service
public class OrderQueryService {

    private static final Logger log = LoggerFactory.getLogger(OrderQueryService.class);

    private final OrderViewStreams streams;
    private final LocalOrderStore local;
    private final PeerClient peers;
    private final InstanceAddress address;
    private final String stateTopic;
    private final long peerTimeoutMillis;
    private final long graceNanos;
    private static final long RETRY_PAUSE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);

    OrderQueryService(
            OrderViewStreams streams,
            LocalOrderStore local,
            PeerClient peers,
            InstanceAddress address,
            OrderTopics topics,
            QueryProperties properties) {
        this.streams = streams;
        this.local = local;
        this.peers = peers;
        this.address = address;
        this.stateTopic = topics.state().name();
        this.peerTimeoutMillis = properties.peerTimeout().toMillis();
        this.graceNanos = properties.unavailableGrace().toNanos();
    }

    /**
     * The current state of one order {@code viewer} may see.
     *
     * @throws OrderNotFoundException when the owning copy does not know it, or it is of an account the viewer may not
     *     see: the two are one answer, so that nobody learns whether another account's order exists
     * @throws StoreUnavailableException when no copy of its partition answers
     */
    public OrderView get(String orderId, Viewer viewer) {
        return find(orderId, viewer).orElseThrow(() -> new OrderNotFoundException(orderId));
    }

    /**
     * Like {@link #get} but empty instead of {@link OrderNotFoundException}. While a task moves between instances
     * there can be a moment (milliseconds) when no copy is queryable; the lookup is retried with fresh metadata for
     * up to {@code orders.query.unavailable-grace} before giving up with {@link StoreUnavailableException}. A lookup
     * forwarded to another instance carries the viewer's token, and that instance applies the same rule.
     */
    public Optional<OrderView> find(String orderId, Viewer viewer) {
        return withGrace(() -> attemptFind(orderId, viewer)).filter(viewer::sees);
    }

    /**
     * Listing entries after {@code query.after()}, with the same grace as {@link #find}; {@code query.accounts()} are
     * the accounts the viewer lists (checked again by every instance the scan is forwarded to).
     */
    public List<IndexedOrder> scan(PageQuery query, Viewer viewer) {
        return withGrace(() -> attemptScan(query, viewer));
    }

    private <T> T withGrace(java.util.function.Supplier<T> attempt) {
        long deadline = System.nanoTime() + graceNanos;
        while (true) {
            try {
                return attempt.get();
            } catch (StoreUnavailableException e) {
                if (System.nanoTime() + RETRY_PAUSE_NANOS > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(RETRY_PAUSE_NANOS);
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
            }
        }
    }

    private Optional<OrderView> attemptFind(String orderId, Viewer viewer) {
        KafkaStreams client = running();
        KeyQueryMetadata metadata = client.queryMetadataForKey(
                OrderViewTopology.ORDERS_BY_ID, orderId, Serdes.String().serializer());
        List<HostInfo> candidates = new ArrayList<>();
        int partition;
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.partition() < 0) {
            // no assignment known yet: a local stale copy may still answer
            partition = partitionOf(orderId, copiesByPartition(client).size());
            candidates.add(address.self());
        } else {
            partition = metadata.partition();
            candidates.add(metadata.activeHost());
            List<HostInfo> standbys = new ArrayList<>(metadata.standbyHosts());
            standbys.sort((a, b) -> Boolean.compare(!address.isSelf(a), !address.isSelf(b)));
            candidates.addAll(standbys);
        }
        StoreUnavailableException last = null;
        for (HostInfo host : new LinkedHashSet<>(candidates)) {
            try {
                if (address.isSelf(host)) {
                    return local.find(orderId, partition);
                }
                return await(peers.find(host, orderId, partition, viewer.token()));
            } catch (StoreUnavailableException e) {
                log.debug("Copy of partition {} on {} did not answer for order {}: {}", partition, host, orderId, e);
                last = e;
            }
        }
        throw last != null
                ? last
                : new StoreUnavailableException("no copy of partition " + partition + " is available");
    }

    /**
     * Listing entries {@code [0, query.count())} after {@code query.after()}, gathered from one copy of every
     * partition.
     */
    private List<IndexedOrder> attemptScan(PageQuery query, Viewer viewer) {
        List<IndexedOrder> merged = new ArrayList<>();
        gather((host, partitions) -> address.isSelf(host)
                        ? here(() -> local.page(query, partitions))
                        : peers.page(host, query, partitions, viewer.token()))
                .forEach(page -> merged.addAll(page.items()));
        merged.sort(IndexedOrder.LISTING_ORDER);
        return merged.size() > query.count() ? merged.subList(0, query.count()) : merged;
    }

    /**
     * The fills of {@code accountId}'s orders summed per symbol, by symbol: each copy sums its partitions, and the sums
     * of all partitions add up ({@link PositionTotals}). The caller checks that {@code viewer} may see the account;
     * every instance the query is forwarded to checks it again.
     *
     * @throws StoreUnavailableException when some partition has no copy that answers (never a position with a hole)
     */
    public List<PositionTotals> positions(String accountId, Viewer viewer) {
        return withGrace(() -> {
            Map<String, PositionTotals> bySymbol = new TreeMap<>();
            gather((host, partitions) -> address.isSelf(host)
                            ? here(() -> local.positions(accountId, partitions))
                            : peers.positions(host, accountId, partitions, viewer.token()))
                    .forEach(part -> part.totals()
                            .forEach(totals -> bySymbol.merge(totals.symbol(), totals, PositionTotals::plus)));
            return List.copyOf(bySymbol.values());
        });
    }

    /** One instance's answer for some partitions, local or over HTTP. */
    private interface PartitionQuery<T extends PartitionAnswer> {
        CompletableFuture<T> ask(HostInfo host, List<Integer> partitions);
    }

    /**
     * The answers of one copy of every partition: the active copies first, and for each partition a copy does not
     * answer (unreachable, or it names the partition missing) the next copy, until every partition has answered once.
     * The hosts of one round are asked in parallel.
     */
    private <T extends PartitionAnswer> List<T> gather(PartitionQuery<T> query) {
        KafkaStreams client = running();
        Map<Integer, List<HostInfo>> copies = copiesByPartition(client);
        if (copies.isEmpty()) {
            throw new StoreUnavailableException("no partition of " + stateTopic + " is assigned yet");
        }
        Map<Integer, Integer> attempt = new HashMap<>();
        copies.keySet().forEach(p -> attempt.put(p, 0));
        Set<Integer> pending = new LinkedHashSet<>(copies.keySet());
        List<T> answers = new ArrayList<>();
        while (!pending.isEmpty()) {
            Map<HostInfo, List<Integer>> plan = new LinkedHashMap<>();
            for (int p : pending) {
                List<HostInfo> hosts = copies.get(p);
                int next = attempt.get(p);
                if (next >= hosts.size()) {
                    throw new StoreUnavailableException(
                            "no copy of partition " + p + " of " + stateTopic + " answered (tried " + hosts + ")");
                }
                plan.computeIfAbsent(hosts.get(next), h -> new ArrayList<>()).add(p);
            }
            Map<HostInfo, CompletableFuture<T>> calls = new LinkedHashMap<>();
            // remote calls start first (asynchronously) and run while this thread answers its own partitions
            plan.forEach((host, partitions) -> {
                if (!address.isSelf(host)) {
                    calls.put(host, query.ask(host, partitions));
                }
            });
            plan.forEach((host, partitions) -> {
                if (address.isSelf(host)) {
                    calls.put(host, query.ask(host, partitions));
                }
            });
            Set<Integer> failed = new LinkedHashSet<>();
            calls.forEach((host, call) -> {
                try {
                    T answer = await(call);
                    answers.add(answer);
                    failed.addAll(answer.missingPartitions());
                } catch (StoreUnavailableException e) {
                    log.debug("Copy on {} did not answer for partitions {}: {}", host, plan.get(host), e.getMessage());
                    failed.addAll(plan.get(host));
                }
            });
            failed.forEach(p -> attempt.merge(p, 1, Integer::sum));
            pending = failed;
        }
        return answers;
    }

    /** This instance's own answer, read now, as a completed future. */
    private static <T> CompletableFuture<T> here(java.util.function.Supplier<T> read) {
        try {
            return CompletableFuture.completedFuture(read.get());
        } catch (StoreUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Every partition of {@code orders.state} with the hosts holding a copy: the active first, then standbys (this
     * instance's own standby before remote ones).
     */
    private Map<Integer, List<HostInfo>> copiesByPartition(KafkaStreams client) {
        Map<Integer, List<HostInfo>> active = new TreeMap<>();
        Map<Integer, List<HostInfo>> standby = new TreeMap<>();
        Collection<StreamsMetadata> all = client.streamsMetadataForStore(OrderViewTopology.ORDERS_BY_ID);
        for (StreamsMetadata metadata : all) {
            for (TopicPartition tp : metadata.topicPartitions()) {
                if (tp.topic().equals(stateTopic)) {
                    active.computeIfAbsent(tp.partition(), p -> new ArrayList<>())
                            .add(metadata.hostInfo());
                }
            }
            for (TopicPartition tp : metadata.standbyTopicPartitions()) {
                if (tp.topic().equals(stateTopic)) {
                    standby.computeIfAbsent(tp.partition(), p -> new ArrayList<>())
                            .add(metadata.hostInfo());
                }
            }
        }
        Map<Integer, List<HostInfo>> copies = new TreeMap<>();
        Set<Integer> partitions = new LinkedHashSet<>(active.keySet());
        partitions.addAll(standby.keySet());
        for (int p : partitions) {
            List<HostInfo> hosts = new ArrayList<>(active.getOrDefault(p, List.of()));
            List<HostInfo> warm = new ArrayList<>(standby.getOrDefault(p, List.of()));
            warm.sort((a, b) -> Boolean.compare(!address.isSelf(a), !address.isSelf(b)));
            hosts.addAll(warm);
            copies.put(p, List.copyOf(new LinkedHashSet<>(hosts)));
        }
        return copies;
    }

    private KafkaStreams running() {
        KafkaStreams client = streams.streamsOrNull();
        if (client == null || !client.state().isRunningOrRebalancing()) {
            throw new StoreUnavailableException("Kafka Streams is "
                    + (client == null ? "not started" : client.state().name()));
        }
        return client;
    }

    private static int partitionOf(String key, int partitions) {
        if (partitions < 1) {
            throw new StoreUnavailableException("partition count of the state topic not known yet");
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(peerTimeoutMillis + 500, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CompletionException nested && nested.getCause() != null) {
                cause = nested.getCause();
            }
            if (cause instanceof StoreUnavailableException unavailable) {
                throw unavailable;
            }
            throw new StoreUnavailableException("peer query failed: " + cause, cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreUnavailableException("peer query timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", e);
        }
    }
}

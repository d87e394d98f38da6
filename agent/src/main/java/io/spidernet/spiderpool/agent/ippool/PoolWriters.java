package io.spidernet.spiderpool.agent.ippool;

import io.spidernet.spiderpool.agent.kube.Kube;
import io.spidernet.spiderpool.agent.metrics.IpamMetrics;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link PoolWriter} per pool, created on first use on the caller's context. */
public final class PoolWriters {
  private final Vertx vertx;
  private final Kube kube;
  private final PoolSnapshots snapshots;
  private final Blocklist blocklist;
  private final IpamMetrics metrics;
  private final int maxRecords;
  private final ConcurrentHashMap<String, PoolWriter> writers = new ConcurrentHashMap<>();

  public PoolWriters(Vertx vertx, Kube kube, PoolSnapshots snapshots, IpamMetrics metrics, int maxRecords) {
    this.vertx = vertx;
    this.kube = kube;
    this.snapshots = snapshots;
    this.blocklist = new Blocklist(kube, snapshots);
    this.metrics = metrics;
    this.maxRecords = maxRecords;
  }

  /**
   * Whether the newest version of {@code pool} known here (this agent's last commit or the
   * informer's copy) records {@code ip} for pod incarnation {@code uid}. Any thread.
   */
  public boolean holds(String pool, String ip, String uid) {
    PoolWriter writer = writers.get(pool);
    PoolWriter.Committed ours = writer == null ? null : writer.committed();
    SpiderIPPool cached = kube.cachedPool(pool);
    Map<String, PoolIPAllocation> records;
    if (cached != null && (ours == null || PoolWriter.resourceVersion(cached) > ours.resourceVersion())) {
      records = snapshots.of(cached).records();
    } else if (ours != null) {
      records = ours.records();
    } else {
      return false;
    }
    PoolIPAllocation record = records.get(ip);
    return record != null && uid.equals(record.podUid());
  }

  public PoolWriter of(String pool) {
    return writers.computeIfAbsent(pool, name ->
        new PoolWriter(name, vertx.getOrCreateContext(), kube, snapshots,
            blocklist, metrics, maxRecords));
  }
}

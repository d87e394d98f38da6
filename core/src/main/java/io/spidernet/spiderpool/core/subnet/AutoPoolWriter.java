package io.spidernet.spiderpool.core.subnet;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.codec.ControlledIPPools;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.codec.PoolIPPreAllocation;
import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.ippool.PoolRanges;
import io.spidernet.spiderpool.api.ippool.SubnetRanges;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.api.v2beta1.SubnetStatus;
import io.spidernet.spiderpool.core.IpamException;
import io.spidernet.spiderpool.core.IpamException.Reason;
import io.spidernet.spiderpool.core.pod.TopController;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one write path of auto-pools (spec 6.5), used by the controller for the standard workloads
 * and by the agent for other controllers' pods. The subnet's {@code status.controlledIPPools} is
 * the lock: an entry always holds every IP its pool has, so an IP is never in two pools. Growing
 * writes the subnet's entry first (resourceVersion-guarded), then the pool; shrinking writes the
 * pool first (guarded, so an IP a pod took meanwhile is never dropped), then the entry. Conflicts
 * are retried with fresh copies; writes for one subnet are serialised within the process.
 * Blocking: call it on a worker thread.
 */
public final class AutoPoolWriter {
  private static final Logger LOG = LoggerFactory.getLogger(AutoPoolWriter.class);
  private static final int ATTEMPTS = 8;
  private static final long REFUSED_PAUSE_MS = 250;

  private final KubernetesClient client;
  private final IntFunction<IPRanges> reserved;
  private final BiConsumer<SpiderSubnet, String> subnetWritten;
  private final Map<String, Object> subnetLocks = new ConcurrentHashMap<>();

  /**
   * @param reserved every SpiderReservedIP's IPs of a family
   * @param subnetWritten told of every subnet status this writer stored and the resourceVersion it
   *     replaced (the controller shows it to its pool webhook at once, so the pool write that follows
   *     is checked against it)
   */
  public AutoPoolWriter(KubernetesClient client, IntFunction<IPRanges> reserved,
      BiConsumer<SpiderSubnet, String> subnetWritten) {
    this.client = client;
    this.reserved = reserved;
    this.subnetWritten = subnetWritten;
  }

  /**
   * What {@link #ensure} left: the pool's name and IP count, and the IPs it still lacks (subnet too
   * small) or still has too many (pods hold them).
   */
  public record Result(String pool, long ips, long shortfall) {}

  /** Brings the application's auto-pool for {@code demand} to its size. Worker thread. */
  public Result ensure(TopController app, AutoPoolDemand demand) {
    synchronized (subnetLocks.computeIfAbsent(demand.subnet(), k -> new Object())) {
      KubernetesClientException last = null;
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        try {
          return attempt(app, demand);
        } catch (KubernetesClientException e) {
          last = e;
          if (e.getCode() == 422) {
            // A pool webhook whose view of the subnet lags the entry just written refuses the pool
            // for a moment (another process's webhook: the controller's own is told at once).
            pause(REFUSED_PAUSE_MS);
          } else if (e.getCode() != 409) {
            throw e;
          }
          LOG.info("auto-pool of {} on SpiderSubnet {}: attempt {} met HTTP {}, retrying with fresh copies", describe(app),
              demand.subnet(), attempt + 1, e.getCode());
        }
      }
      throw new IpamException(Reason.CONFLICT_RETRIES_EXHAUSTED, "the auto-pool of " + describe(app) + " on SpiderSubnet "
          + demand.subnet() + " could not be written in " + ATTEMPTS + " attempts: " + last.getMessage(), last);
    }
  }

  private Result attempt(TopController app, AutoPoolDemand demand) {
    SpiderSubnet subnet = client.resources(SpiderSubnet.class).withName(demand.subnet()).get();
    String who = describe(app);
    if (subnet == null) {
      throw new IpamException(Reason.NO_POOL_AVAILABLE, "SpiderSubnet " + demand.subnet() + " named by " + who + " does not exist");
    }
    if (subnet.getMetadata().getDeletionTimestamp() != null) {
      throw new IpamException(Reason.NO_POOL_AVAILABLE, "SpiderSubnet " + demand.subnet() + " named by " + who + " is being deleted");
    }
    IPRanges usable = SubnetRanges.usable(subnet.getSpec());
    if (usable == null || usable.version() != demand.version()) {
      throw new IpamException(Reason.BAD_INPUT, "SpiderSubnet " + demand.subnet() + " named by " + who + " under ipv"
          + demand.version() + " is not an IPv" + demand.version() + " subnet with readable IPs");
    }
    SpiderIPPool mine = null;
    List<SpiderIPPool> stale = new ArrayList<>();
    for (SpiderIPPool pool : client.resources(SpiderIPPool.class).withLabel(Constants.LABEL_OWNER_APPLICATION_NAME, app.name())
        .withLabel(Constants.LABEL_OWNER_APPLICATION_NAMESPACE, app.namespace()).list().getItems()) {
      if (!AutoPools.serves(pool, app, demand.version(), demand.nic())) {
        continue;
      }
      if (AutoPools.ofIncarnation(pool, app) || (!AutoPools.reclaimed(pool) && mine == null)) {
        if (mine != null && !AutoPools.ofIncarnation(mine, app)) {
          stale.add(mine);
        }
        mine = pool;
      } else {
        stale.add(pool);
      }
    }
    for (SpiderIPPool old : stale) {
      if (AutoPools.reclaimed(old) && old.getMetadata().getDeletionTimestamp() == null) {
        LOG.info("deleting auto-pool {} of a former {}", old.getMetadata().getName(), who);
        client.resource(old).delete();
      }
    }
    if (mine != null && mine.getMetadata().getDeletionTimestamp() != null) {
      throw new IpamException(Reason.API_ERROR, "auto-pool " + mine.getMetadata().getName() + " of " + who
          + " is being deleted; a new one follows once it is gone");
    }
    if (mine != null && !sameCidr(mine.getSpec().subnet, subnet.getSpec().subnet)) {
      throw new IpamException(Reason.BAD_INPUT, "auto-pool " + mine.getMetadata().getName() + " of " + who + " is of subnet "
          + mine.getSpec().subnet + ", not of SpiderSubnet " + demand.subnet() + " (" + subnet.getSpec().subnet
          + "); an application's auto-pool cannot change subnet: delete it, or the application, first");
    }
    String name = mine != null ? mine.getMetadata().getName() : AutoPools.name(demand.version(), app, demand.nic());
    IPRanges current = mine == null ? IPRanges.empty(demand.version()) : PoolRanges.of(mine.getMetadata().getName(), mine.getSpec()).usable();
    SortedMap<String, PoolIPPreAllocation> recorded = ControlledIPPools.of(subnet);
    AutoPoolPlan plan = AutoPoolPlan.resize(usable, recorded, reserved.apply(demand.version()), name, current,
        mine == null ? List.of() : allocated(mine), demand.size());
    IPRanges entry = recorded.containsKey(name) ? AutoPoolPlan.given(demand.version(), recorded.get(name)) : null;
    SpiderIPPool wanted = AutoPools.build(subnet, app, demand, plan.ips(), mine);
    boolean poolRight = mine != null && current.equals(plan.ips()) && sameLabels(mine, wanted);
    if (plan.ips().containsAll(current)) {
      if (!plan.ips().equals(entry)) {
        writeEntry(subnet, recorded, name, plan.ips(), app, usable);
      }
      if (!poolRight) {
        writePool(wanted, mine == null);
      }
    } else {
      if (!poolRight) {
        writePool(wanted, false);
      }
      writeEntry(subnet, recorded, name, plan.ips(), app, usable);
    }
    if (!poolRight) {
      LOG.info("auto-pool {} of {} on SpiderSubnet {}: {} IPs {}", name, who, demand.subnet(), plan.ips().countSaturated(),
          plan.ips().toStrings());
    }
    return new Result(name, plan.ips().countSaturated(), plan.shortfall());
  }

  private void writePool(SpiderIPPool pool, boolean create) {
    if (create) {
      client.resource(pool).create();
    } else {
      client.resource(pool).update();
    }
  }

  /** The subnet's entry for the pool becomes {@code ips}; the counts follow. 409 when the subnet changed. */
  private void writeEntry(SpiderSubnet subnet, SortedMap<String, PoolIPPreAllocation> recorded, String pool, IPRanges ips,
      TopController app, IPRanges usable) {
    SortedMap<String, PoolIPPreAllocation> entries = new TreeMap<>(recorded);
    entries.put(pool, new PoolIPPreAllocation(ips.toStrings(), AutoPools.application(app)));
    BigInteger allocated = BigInteger.ZERO;
    for (PoolIPPreAllocation e : entries.values()) {
      allocated = allocated.add(AutoPoolPlan.given(usable.version(), e).count());
    }
    SpiderSubnet copy = client.getKubernetesSerialization().clone(subnet);
    SubnetStatus status = new SubnetStatus();
    status.controlledIPPools = ControlledIPPools.encode(entries);
    status.allocatedIPCount = allocated.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    status.totalIPCount = usable.countSaturated();
    copy.setStatus(status);
    subnetWritten.accept(client.resource(copy).updateStatus(), subnet.getMetadata().getResourceVersion());
  }

  private static boolean sameLabels(SpiderIPPool have, SpiderIPPool want) {
    return Objects.equals(have.getMetadata().getLabels(), want.getMetadata().getLabels())
        && Objects.equals(have.getMetadata().getAnnotations(), want.getMetadata().getAnnotations())
        && Objects.equals(have.getMetadata().getOwnerReferences(), want.getMetadata().getOwnerReferences())
        && Objects.equals(have.getSpec().podAffinity, want.getSpec().podAffinity);
  }

  private static List<IP> allocated(SpiderIPPool pool) {
    if (pool.getStatus() == null || pool.getStatus().allocatedIPs == null) {
      return List.of();
    }
    return PoolIPAllocations.decode(pool.getMetadata().getName(), pool.getStatus().allocatedIPs).keySet().stream().map(IP::parse)
        .toList();
  }

  private static boolean sameCidr(String a, String b) {
    try {
      return Cidr.parseAny(a).equals(Cidr.parseAny(b));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** {@code Deployment default/nginx}. */
  public static String describe(TopController app) {
    return app.kind() + " " + app.namespace() + "/" + app.name();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IpamException(Reason.API_ERROR, "interrupted while writing an auto-pool");
    }
  }
}

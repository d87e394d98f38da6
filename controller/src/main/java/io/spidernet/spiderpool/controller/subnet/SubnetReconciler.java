package io.spidernet.spiderpool.controller.subnet;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.spidernet.spiderpool.api.codec.ControlledIPPools;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.api.v2beta1.SubnetStatus;
import io.spidernet.spiderpool.controller.runtime.Decision;
import io.spidernet.spiderpool.controller.runtime.Events;
import io.spidernet.spiderpool.controller.runtime.Reconciler;
import io.spidernet.spiderpool.core.ippool.SubnetAdoption;
import io.spidernet.spiderpool.core.kube.Kube;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SpiderSubnet kept consistent with its pools (spec 6.5): pools of its CIDR that no one controls
 * are adopted (the subnet becomes their controller, they get the {@code owner-spider-subnet} label
 * and inherit gateway and routes they lack); {@code status.controlledIPPools}, {@code allocatedIPCount}
 * and {@code totalIPCount} are rewritten from the pools (guarded by the resourceVersion, so an
 * auto-pool pre-allocation written meanwhile is never lost); a deleted subnet is deleted again with
 * foreground propagation, so its pools go first, and its finalizer goes once it controls none.
 * Keys are subnet names.
 */
public final class SubnetReconciler implements Reconciler {
  public static final String ADOPTION_REFUSED = "IPPoolAdoptionRefused";
  private static final Logger LOG = LoggerFactory.getLogger(SubnetReconciler.class);

  private final Kube kube;
  private final Function<String, SpiderSubnet> subnets;
  private final Supplier<List<SpiderIPPool>> pools;
  private final Predicate<String> applicationExists;
  private final Events events;

  public SubnetReconciler(Kube kube, Function<String, SpiderSubnet> subnets, Supplier<List<SpiderIPPool>> pools,
      Predicate<String> applicationExists, Events events) {
    this.kube = kube;
    this.subnets = subnets;
    this.pools = pools;
    this.applicationExists = applicationExists;
    this.events = events;
  }

  @Override
  public String name() {
    return "spidersubnet";
  }

  /** The subnets a pool event concerns: its controller, else every subnet that might adopt it. */
  public static List<String> keysOf(SpiderIPPool pool, List<SpiderSubnet> all) {
    List<String> keys = new ArrayList<>();
    for (SpiderSubnet s : all) {
      if (SubnetStatusRules.controls(s, pool) || SubnetStatusRules.adoptable(s, pool)) {
        keys.add(s.getMetadata().getName());
      }
    }
    return keys;
  }

  @Override
  public Future<Decision> reconcile(String name) {
    SpiderSubnet subnet = subnets.apply(name);
    if (subnet == null) {
      return Future.succeededFuture(Decision.DONE);
    }
    return kube.call(() -> {
      List<SpiderIPPool> all = pools.get();
      if (subnet.getMetadata().getDeletionTimestamp() != null) {
        deleteForeground(subnet, all);
      } else {
        for (SpiderIPPool pool : all) {
          if (SubnetStatusRules.adoptable(subnet, pool)) {
            adopt(subnet, pool);
          }
        }
      }
      writeStatus(subnet, SubnetStatusRules.compute(subnet, all, applicationExists));
      return Decision.DONE;
    });
  }

  /** Worker thread: the subnet's pools go first (the garbage collector deletes owners' dependents before them). */
  private void deleteForeground(SpiderSubnet subnet, List<SpiderIPPool> all) {
    boolean foreground = subnet.getMetadata().getFinalizers() != null && subnet.getMetadata().getFinalizers().contains("foregroundDeletion");
    if (!foreground && all.stream().anyMatch(p -> SubnetStatusRules.controls(subnet, p))) {
      kube.client().resources(SpiderSubnet.class).withName(subnet.getMetadata().getName())
          .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
    }
  }

  /** Worker thread: makes the subnet the pool's controller (the pool webhook checks its IPs fit the subnet). */
  private void adopt(SpiderSubnet subnet, SpiderIPPool cached) {
    SpiderIPPool pool = kube.client().getKubernetesSerialization().clone(cached);
    SubnetAdoption.adopt(subnet, pool);
    try {
      kube.client().resource(pool).update();
      LOG.info("SpiderSubnet {} adopted SpiderIPPool {}", subnet.getMetadata().getName(), pool.getMetadata().getName());
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw e; // changed meanwhile: the loop retries with the newer copy
      }
      events.emit(subnet, "Warning", ADOPTION_REFUSED, "SpiderIPPool " + pool.getMetadata().getName() + " of the same subnet "
          + "cannot be adopted: " + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
          : e.getMessage()));
    }
  }

  /** Worker thread: writes the status when it differs, with the resourceVersion read (a 409 retries). */
  private void writeStatus(SpiderSubnet subnet, SubnetStatusRules.Computed computed) {
    SubnetStatus have = subnet.getStatus();
    if (have != null && ControlledIPPools.orEmpty(subnet).equals(computed.controlled())
        && Objects.equals(have.allocatedIPCount, computed.allocated()) && Objects.equals(have.totalIPCount, computed.total())) {
      return;
    }
    String controlled = computed.controlled().isEmpty() ? null : ControlledIPPools.encode(computed.controlled());
    SpiderSubnet copy = kube.client().getKubernetesSerialization().clone(subnet);
    SubnetStatus status = new SubnetStatus();
    status.controlledIPPools = controlled;
    status.allocatedIPCount = computed.allocated();
    status.totalIPCount = computed.total();
    copy.setStatus(status);
    kube.client().resource(copy).updateStatus();
  }
}

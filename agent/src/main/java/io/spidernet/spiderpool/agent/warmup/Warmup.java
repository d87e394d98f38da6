package io.spidernet.spiderpool.agent.warmup;

import io.spidernet.spiderpool.core.pod.TopController;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.agent.ipam.CandidateRules;
import io.spidernet.spiderpool.agent.ipam.PodContext;
import io.spidernet.spiderpool.agent.ipam.PoolFilter;
import io.spidernet.spiderpool.core.ippool.BatchPlan;
import io.spidernet.spiderpool.core.ippool.PoolRequest;
import io.spidernet.spiderpool.core.ippool.PoolSnapshot;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.ip.SortedIPs;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.IPPoolStatus;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agent's hot paths on synthetic data as soon as it serves (and in the image's AOT training
 * run), so that a burst of pods after a start does not run them interpreted for long: the status codec, snapshot parsing, batch planning,
 * pool choice and the JSON of pools. Touches no API server. Blocking; call it off the event loop.
 */
public final class Warmup {
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);

  private Warmup() {}

  public static void run(KubernetesSerialization json, long budgetMillis) {
    long start = System.nanoTime();
    long deadline = start + budgetMillis * 1_000_000;
    int rounds = 0;
    while (System.nanoTime() < deadline) {
      round(json, rounds++);
    }
    LOG.info("warm-up: {} rounds in {} ms", rounds, (System.nanoTime() - start) / 1_000_000);
  }

  /** The synthetic pool both warm-ups work on, without status. */
  static SpiderIPPool pool(int round) {
    SpiderIPPool pool = new SpiderIPPool();
    pool.getMetadata().setName("warmup");
    pool.getMetadata().setResourceVersion(String.valueOf(round + 1));
    IPPoolSpec spec = new IPPoolSpec();
    spec.subnet = "10.0.0.0/16";
    spec.ips = List.of("10.0.0.1-10.0.3.232");
    spec.gateway = "10.0.0.1";
    pool.setSpec(spec);
    return pool;
  }

  /** The synthetic pod both warm-ups allocate for. */
  static PodContext pod() {
    return new PodContext("warmup", "p", "u", "n", Map.of(), Map.of("ipam.spidernet.io/ippool",
        "{\"ipv4\":[\"warmup\"]}"), Map.of(), Map.of(), Map.of(), new TopController("", "v1", "Pod", "warmup", "p", "u"));
  }

  private static void round(KubernetesSerialization json, int round) {
    SpiderIPPool pool = pool(round);
    Map<String, PoolIPAllocation> records = new TreeMap<>();
    IP ip = IP.parse("10.0.0.1");
    for (int i = 0; i < 200; i++, ip = ip.next()) {
      records.put(ip.toString(), PoolIPAllocation.of("warmup", "pod-" + i, "uid-" + i));
    }
    IPPoolStatus status = new IPPoolStatus();
    status.allocatedIPs = PoolIPAllocations.encode(records);
    pool.setStatus(status);
    SpiderIPPool copy = json.clone(json.unmarshal(json.asJson(pool), SpiderIPPool.class));
    PoolSnapshot snapshot = PoolSnapshot.of(copy, null);
    List<PoolRequest> requests = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      requests.add(new PoolRequest.Allocate("warmup/new-" + i, "new-" + i));
    }
    BatchPlan plan = BatchPlan.plan(snapshot, IPRanges.empty(4), SortedIPs.empty(), requests, 5000);
    PoolIPAllocations.encode(plan.records());
    PodContext pod = pod();
    CandidateRules.select(pod, new CandidateRules.CniInputs("eth0", List.of(), List.of(), false), AgentConfig.defaults(),
        List.of(copy));
    PoolFilter.filter(4, "eth0", List.of("warmup"), pod, n -> copy, "kube-system", null);
  }
}

package io.spidernet.spiderpool.testsupport.agent;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the scheduler and a kubelet do for the pods of one namespace, where the test cluster has
 * neither: unbound pods are bound to the node, bound pods get their IP from the agent with a CNI ADD
 * (and run with it), terminating pods are finished and released with a CNI DEL. One call is one
 * pass; blocking, call it from a test thread.
 */
public final class KubeletStandIn {
  private final KubernetesClient client;
  private final AgentClient agent;
  private final String node;

  public KubeletStandIn(KubernetesClient client, AgentClient agent, String node) {
    this.client = client;
    this.agent = agent;
    this.node = node;
  }

  /** The scheduler's part for a DaemonSet pod: binds it to the node its affinity names; returns the node. */
  public static String bindToItsNode(KubernetesClient client, Pod pod) {
    String node = pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms().get(0).getMatchFields().get(0).getValues().get(0);
    client.bindings().inNamespace(pod.getMetadata().getNamespace()).resource(new BindingBuilder()
        .withNewMetadata().withName(pod.getMetadata().getName()).endMetadata()
        .withNewTarget().withKind("Node").withName(node).withApiVersion("v1").endTarget().build()).create();
    return node;
  }

  /** What one pass did: pods that got an IP (name to IP), pods released, and the ADD failures by pod. */
  public record Pass(Map<String, String> added, int released, Map<String, String> failures) {}

  public Pass pass(String namespace) {
    try {
      return passOnce(namespace);
    } catch (Exception e) {
      throw new IllegalStateException("kubelet stand-in pass over namespace " + namespace + ": " + e.getMessage(), e);
    }
  }

  private Pass passOnce(String namespace) throws Exception {
    Map<String, String> added = new ConcurrentHashMap<>();
    Map<String, String> failures = new ConcurrentHashMap<>();
    List<Future<?>> calls = new ArrayList<>();
    int released = 0;
    for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        client.resource(pod).withGracePeriod(0).delete();
        calls.add(agent.call(HttpMethod.DELETE, "/v1/ipam/ip", AgentClient.args(pod)));
        released++;
        continue;
      }
      if (pod.getSpec().getNodeName() == null) {
        try {
          client.resource(new BindingBuilder().withNewMetadata().withName(pod.getMetadata().getName()).withNamespace(namespace)
              .endMetadata().withNewTarget().withKind("Node").withName(node).endTarget().build()).create();
        } catch (KubernetesClientException e) {
          failures.put(pod.getMetadata().getName(), "binding: " + e.getMessage());
          continue;
        }
      }
      if (pod.getStatus() != null && pod.getStatus().getPodIP() != null) {
        continue;
      }
      calls.add(agent.call(HttpMethod.POST, "/v1/ipam/ip", AgentClient.args(pod)).onSuccess(r -> {
        if (r.status() == 200) {
          String ip = r.json().getJsonArray("ips").getJsonObject(0).getString("address");
          added.put(pod.getMetadata().getName(), ip.substring(0, ip.indexOf('/')));
        } else {
          failures.put(pod.getMetadata().getName(), r.body());
        }
      }));
    }
    Future.join(calls).toCompletionStage().toCompletableFuture().handle((x, e) -> null).get(120, TimeUnit.SECONDS);
    for (Map.Entry<String, String> e : added.entrySet()) {
      Pod pod = client.pods().inNamespace(namespace).withName(e.getKey()).get();
      if (pod != null && pod.getMetadata().getDeletionTimestamp() == null) {
        pod.setStatus(new PodStatusBuilder(pod.getStatus()).withPhase("Running").withPodIP(e.getValue())
            .withPodIPs(List.of(new io.fabric8.kubernetes.api.model.PodIP(e.getValue()))).build());
        try {
          client.resource(pod).updateStatus();
        } catch (KubernetesClientException conflict) {
          added.remove(e.getKey()); // changed meanwhile: the next pass sees it again (its ADD answers the same IP)
        }
      }
    }
    return new Pass(added, released, failures);
  }
}

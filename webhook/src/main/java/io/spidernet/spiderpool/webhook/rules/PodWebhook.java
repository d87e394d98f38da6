package io.spidernet.spiderpool.webhook.rules;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.zjsonpatch.JsonDiff;
import io.spidernet.spiderpool.api.annotation.Annotations;
import io.spidernet.spiderpool.api.v2beta1.MultusCNIConfigSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.webhook.review.FieldError;
import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.Refusal;
import io.spidernet.spiderpool.webhook.review.Review;
import io.spidernet.spiderpool.webhook.review.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod webhook (spec 3.7), on only with {@code podResourceInject.enabled}: a pod (or its
 * namespace) annotated with {@code cni.spidernet.io/rdma-resource-inject} or
 * {@code cni.spidernet.io/network-resource-inject} gets every SpiderMultusConfig labelled with that
 * value as its Multus networks, and one of each of their device resources.
 */
public final class PodWebhook implements KindWebhook {
  private static final List<String> KEYS = List.of(Annotations.RDMA_RESOURCE_INJECT, Annotations.NETWORK_RESOURCE_INJECT);

  private final ClusterView view;

  public PodWebhook(ClusterView view) {
    this.view = view;
  }

  @Override
  public Kind kind() {
    return Kind.POD;
  }

  @Override
  public Verdict validate(Review review) {
    return Verdict.ALLOWED;
  }

  @Override
  public Verdict mutate(Review review) {
    if (!review.isCreate() || review.object() == null) {
      return Verdict.ALLOWED;
    }
    JsonNode pod = review.object();
    String namespace = !review.namespace().isEmpty() ? review.namespace() : pod.path("metadata").path("namespace").asString("");
    String key = null;
    String value = null;
    for (String k : KEYS) {
      JsonNode v = pod.path("metadata").path("annotations").path(k);
      if (v.isString()) {
        key = k;
        value = v.asString();
        break;
      }
    }
    if (key == null) {
      Namespace ns = view.namespace(namespace);
      Map<String, String> a = ns == null || ns.getMetadata().getAnnotations() == null ? Map.of() : ns.getMetadata().getAnnotations();
      for (String k : KEYS) {
        if (a.containsKey(k)) {
          key = k;
          value = a.get(k);
          break;
        }
      }
    }
    if (key == null) {
      return Verdict.ALLOWED;
    }
    String label = key;
    String wanted = value;
    List<SpiderMultusConfig> configs = new ArrayList<>(view.multusConfigs().stream()
        .filter(c -> c.getMetadata().getLabels() != null && wanted.equals(c.getMetadata().getLabels().get(label)))
        .toList());
    if (configs.isEmpty()) {
      return refuse(review, "no spidermultusconfigs with annotation: " + key + ":" + value);
    }
    configs.sort(Comparator.comparing(PodWebhook::sortKey)
        .thenComparing(c -> c.getMetadata().getNamespace() + "/" + c.getMetadata().getName()));
    Set<String> resources = new LinkedHashSet<>();
    List<String> networks = new ArrayList<>();
    for (SpiderMultusConfig c : configs) {
      String name = c.getMetadata().getNamespace() + "/" + c.getMetadata().getName();
      String resource = MultusResources.resourceName(c.getSpec());
      boolean hasPools = MultusResources.hasPools(c.getSpec());
      if (key.equals(Annotations.RDMA_RESOURCE_INJECT) && (resource == null || resource.isEmpty() || !hasPools)) {
        return refuse(review, "SpiderMultusConfig " + name + " cannot be injected for RDMA: it needs a resource name and IPPools");
      }
      if (resource != null && !resource.isEmpty() && !hasPools) {
        return refuse(review, "SpiderMultusConfig " + name + " names resource " + resource + " but no IPPools");
      }
      networks.add(name);
      if (resource != null && !resource.isEmpty()) {
        resources.add(resource);
      }
    }
    ObjectNode patched = (ObjectNode) pod.deepCopy();
    ObjectNode metadata = patched.has("metadata") ? (ObjectNode) patched.get("metadata") : patched.putObject("metadata");
    ObjectNode annotations = metadata.has("annotations") && metadata.get("annotations").isObject()
        ? (ObjectNode) metadata.get("annotations") : metadata.putObject("annotations");
    annotations.put(Annotations.MULTUS_NETWORKS, String.join(",", networks));
    JsonNode containers = patched.path("spec").path("containers");
    if (containers.isArray() && !containers.isEmpty()) {
      Set<String> present = new LinkedHashSet<>();
      for (JsonNode container : containers) {
        container.path("resources").path("limits").propertyNames().forEach(present::add);
      }
      ObjectNode first = (ObjectNode) containers.get(0);
      ObjectNode res = first.has("resources") && first.get("resources").isObject()
          ? (ObjectNode) first.get("resources") : first.putObject("resources");
      ObjectNode limits = res.has("limits") && res.get("limits").isObject()
          ? (ObjectNode) res.get("limits") : res.putObject("limits");
      for (String r : resources) {
        if (!present.contains(r)) {
          limits.put(r, "1");
        }
      }
    }
    return Verdict.patched(JsonDiff.asJson(pod, patched));
  }

  private static String sortKey(SpiderMultusConfig c) {
    MultusCNIConfigSpec s = c.getSpec();
    if (s == null) {
      return "";
    }
    List<String> master = s.macvlan != null ? s.macvlan.master : s.ipvlan != null ? s.ipvlan.master
        : s.vlan != null ? s.vlan.master : null;
    var bond = s.macvlan != null ? s.macvlan.bond : s.ipvlan != null ? s.ipvlan.bond : s.vlan != null ? s.vlan.bond : null;
    if (master != null && !master.isEmpty()) {
      return master.size() >= 2 && bond != null && bond.name != null ? bond.name : master.get(0);
    }
    if (s.sriov != null && s.sriov.resourceName != null) {
      return s.sriov.resourceName;
    }
    return s.ibsriov != null && s.ibsriov.resourceName != null ? s.ibsriov.resourceName : "";
  }

  private Verdict refuse(Review review, String message) {
    return Verdict.refused(Refusal.invalid(kind(), review.name(), FieldError.invalid("metadata.annotations",
        review.name(), message)));
  }
}

package io.spidernet.spiderpool.webhook.rules;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.spidernet.spiderpool.api.annotation.Annotations;
import io.spidernet.spiderpool.api.nad.NetworkAttachmentDefinition;
import io.spidernet.spiderpool.api.v2beta1.BondConfig;
import io.spidernet.spiderpool.api.v2beta1.CoordinatorSpec;
import io.spidernet.spiderpool.api.v2beta1.MultusCNIConfigSpec;
import io.spidernet.spiderpool.api.v2beta1.OvsTrunk;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.api.v2beta1.SpiderpoolPools;
import io.spidernet.spiderpool.core.kube.KubeNames;
import io.spidernet.spiderpool.webhook.review.FieldError;
import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.ObjectTrees;
import io.spidernet.spiderpool.webhook.review.Refusal;
import io.spidernet.spiderpool.webhook.review.Review;
import io.spidernet.spiderpool.webhook.review.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** SpiderMultusConfig admission (spec 3.5): per-type defaults, the coordinator block, and the rules. */
public final class MultusConfigWebhook implements KindWebhook {
  public static final List<String> CNI_VERSIONS = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0");
  private static final List<String> TYPES = List.of("macvlan", "ipvlan", "vlan", "sriov", "ovs", "ib-sriov", "ipoib", "custom");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ClusterView view;
  private final ObjectTrees trees;

  public MultusConfigWebhook(ClusterView view, ObjectTrees trees) {
    this.view = view;
    this.trees = trees;
  }

  @Override
  public Kind kind() {
    return Kind.SPIDER_MULTUS_CONFIG;
  }

  @Override
  public Verdict mutate(Review review) {
    SpiderMultusConfig smc = Validation.readOrNull(review, trees, SpiderMultusConfig.class);
    if (smc == null || smc.getMetadata() == null) {
      return Verdict.ALLOWED;
    }
    if (smc.getSpec() == null) {
      smc.setSpec(new MultusCNIConfigSpec());
    }
    applyDefaults(smc);
    return Verdict.patched(trees.patch(review.object(), smc));
  }

  static void applyDefaults(SpiderMultusConfig smc) {
    MultusCNIConfigSpec spec = smc.getSpec();
    if (spec.cniType == null) {
      spec.cniType = "custom";
    }
    switch (spec.cniType) {
      case "macvlan", "ipvlan" -> {
        var c = spec.cniType.equals("macvlan") ? spec.macvlan : spec.ipvlan;
        if (c != null) {
          c.vlanID = orZero(c.vlanID);
          c.mtu = orZero(c.mtu);
          c.rdmaResourceName = c.rdmaResourceName == null ? "" : c.rdmaResourceName;
          bondOptions(c.bond);
          c.ippools = pools(c.ippools, false);
        }
      }
      case "vlan" -> {
        var c = spec.vlan;
        if (c != null) {
          c.vlanMode = c.vlanMode == null ? "manual" : c.vlanMode;
          if ("manual".equals(c.vlanMode) && c.vlanID == null) {
            c.vlanID = 0;
          }
          c.mtu = orZero(c.mtu);
          c.rdmaResourceName = c.rdmaResourceName == null ? "" : c.rdmaResourceName;
          bondOptions(c.bond);
          c.ippools = pools(c.ippools, false);
        }
      }
      case "sriov" -> {
        var c = spec.sriov;
        if (c != null) {
          c.vlanID = orZero(c.vlanID);
          c.mtu = orZero(c.mtu);
          c.minTxRateMbps = orZero(c.minTxRateMbps);
          c.maxTxRateMbps = orZero(c.maxTxRateMbps);
          c.rdmaIsolation = c.rdmaIsolation == null ? Boolean.FALSE : c.rdmaIsolation;
          c.resourceName = c.resourceName == null ? "" : c.resourceName;
          c.ippools = pools(c.ippools, true);
        }
      }
      case "ib-sriov" -> {
        var c = spec.ibsriov;
        if (c != null) {
          c.pkey = c.pkey == null ? "" : c.pkey;
          c.enableIbKubernetes = c.enableIbKubernetes == null ? Boolean.FALSE : c.enableIbKubernetes;
          c.rdmaIsolation = c.rdmaIsolation == null ? Boolean.TRUE : c.rdmaIsolation;
          c.resourceName = c.resourceName == null ? "" : c.resourceName;
          c.linkState = c.linkState == null ? "enable" : c.linkState;
          c.ippools = pools(c.ippools, false);
        }
      }
      case "ipoib" -> {
        if (spec.ipoib != null) {
          spec.ipoib.ippools = pools(spec.ipoib.ippools, false);
        }
      }
      case "ovs" -> {
        if (spec.ovs != null) {
          spec.ovs.vlan = orZero(spec.ovs.vlan);
          spec.ovs.ippools = pools(spec.ovs.ippools, false);
        }
      }
      default -> spec.customCNI = spec.customCNI == null ? "" : spec.customCNI;
    }
    if ("custom".equals(spec.cniType)) {
      spec.coordinator = null;
      spec.enableCoordinator = false;
    } else if (spec.coordinator == null) {
      CoordinatorSpec c = new CoordinatorSpec();
      c.mode = "auto";
      c.hijackCIDR = new ArrayList<>();
      c.policyRoutes = new ArrayList<>();
      c.vethLinkAddress = "";
      c.podMACPrefix = "";
      c.podDefaultRouteNIC = "";
      c.podRPFilter = 0;
      c.tunePodRoutes = true;
      spec.coordinator = c;
    } else {
      CoordinatorSpec c = spec.coordinator;
      c.mode = c.mode == null ? "auto" : c.mode;
      c.hijackCIDR = c.hijackCIDR == null ? new ArrayList<>() : c.hijackCIDR;
      c.policyRoutes = c.policyRoutes == null ? new ArrayList<>() : c.policyRoutes;
      c.vethLinkAddress = c.vethLinkAddress == null ? "" : c.vethLinkAddress;
      c.podMACPrefix = c.podMACPrefix == null ? "" : c.podMACPrefix;
      c.podDefaultRouteNIC = c.podDefaultRouteNIC == null ? "" : c.podDefaultRouteNIC;
      c.tunePodRoutes = c.tunePodRoutes == null ? Boolean.FALSE : c.tunePodRoutes;
      c.txQueueLen = orZero(c.txQueueLen);
      c.podRPFilter = orZero(c.podRPFilter);
    }
    if (spec.chainCNIJsonData == null) {
      spec.chainCNIJsonData = new ArrayList<>();
    }
    Map<String, String> annotations = smc.getMetadata().getAnnotations();
    if (annotations != null) {
      for (String key : List.of(Annotations.RDMA_RESOURCE_INJECT, Annotations.NETWORK_RESOURCE_INJECT)) {
        if (annotations.containsKey(key)) {
          Defaults.label(smc, key, annotations.get(key));
        }
      }
    }
  }

  private static Integer orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static void bondOptions(BondConfig bond) {
    if (bond != null && bond.options == null) {
      bond.options = "";
    }
  }

  private static SpiderpoolPools pools(SpiderpoolPools pools, boolean withMatchMasterSubnet) {
    SpiderpoolPools p = pools == null ? new SpiderpoolPools() : pools;
    p.ipv4 = p.ipv4 == null ? new ArrayList<>() : p.ipv4;
    p.ipv6 = p.ipv6 == null ? new ArrayList<>() : p.ipv6;
    if (withMatchMasterSubnet && p.matchMasterSubnet == null) {
      p.matchMasterSubnet = false;
    }
    return p;
  }

  @Override
  public Verdict validate(Review review) {
    return Validation.dispatch(review, trees, SpiderMultusConfig.class, (r, smc) -> check(r, null, smc), this::check,
        (r, old) -> Verdict.ALLOWED);
  }

  private Verdict check(Review review, SpiderMultusConfig old, SpiderMultusConfig smc) {
    if (smc.getSpec() == null) {
      smc.setSpec(new MultusCNIConfigSpec());
    }
    FieldError error = old != null ? crNameUnchanged(old, smc) : null;
    if (error == null) {
      error = annotations(smc);
    }
    if (error == null) {
      error = cniConfig(smc.getSpec());
    }
    if (error == null) {
      error = resourceInjection(smc);
    }
    if (error == null && smc.getSpec().coordinator != null) {
      error = CoordinatorWebhook.check("spec.coordinator", smc.getSpec().coordinator, false);
    }
    if (error == null) {
      error = chain(smc.getSpec().chainCNIJsonData);
    }
    return error == null ? Verdict.ALLOWED : Verdict.refused(Refusal.invalid(kind(), review.name(), error));
  }

  private static FieldError crNameUnchanged(SpiderMultusConfig old, SpiderMultusConfig smc) {
    String before = annotation(old, Annotations.MULTUS_CR_NAME);
    String after = annotation(smc, Annotations.MULTUS_CR_NAME);
    String field = "metadata.annotations[" + Annotations.MULTUS_CR_NAME + "]";
    if (before != null && after != null && !before.equals(after)) {
      return FieldError.invalid(field, after, "it's unsupported to change customized Multus net-attach-def resource name from '"
          + before + "' to '" + after + "'");
    }
    if (before == null && after != null) {
      return FieldError.invalid(field, after, "it's unsupported to changed Multus net-attach-def '" + old.getMetadata().getName()
          + "' to customized name '" + after + "'");
    }
    return null;
  }

  private FieldError annotations(SpiderMultusConfig smc) {
    String crName = annotation(smc, Annotations.MULTUS_CR_NAME);
    String crField = "metadata.annotations[" + Annotations.MULTUS_CR_NAME + "]";
    if (crName != null && !KubeNames.isSubdomain(crName)) {
      return FieldError.invalid(crField, crName, "the custom net-attach-def resource name must be a lowercase RFC 1123 "
          + "subdomain (a-z, 0-9, '-' and '.', at most 253 characters)");
    }
    String target = crName != null ? crName : smc.getMetadata().getName();
    NetworkAttachmentDefinition nad = view.nad(smc.getMetadata().getNamespace(), target);
    if (nad != null && nad.getMetadata().getOwnerReferences() != null) {
      for (OwnerReference ref : nad.getMetadata().getOwnerReferences()) {
        if (Boolean.TRUE.equals(ref.getController()) && "SpiderMultusConfig".equals(ref.getKind())
            && !ref.getName().equals(smc.getMetadata().getName())) {
          return FieldError.invalid(crName != null ? crField : "metadata.name", target, "the NetworkAttachmentDefinition "
              + smc.getMetadata().getNamespace() + "/" + target + " already exists and is managed by SpiderMultusConfig "
              + smc.getMetadata().getNamespace() + "/" + ref.getName());
        }
      }
    }
    String version = annotation(smc, Annotations.MULTUS_CNI_VERSION);
    if (version != null && !CNI_VERSIONS.contains(version)) {
      return FieldError.invalid("metadata.annotations[" + Annotations.MULTUS_CNI_VERSION + "]", version,
          "unsupported CNI version " + version + ", supported: " + CNI_VERSIONS);
    }
    return null;
  }

  private static FieldError cniConfig(MultusCNIConfigSpec spec) {
    String type = spec.cniType == null ? "custom" : spec.cniType;
    if (!TYPES.contains(type)) {
      return FieldError.notSupported("spec.cniType", type, TYPES);
    }
    Map<String, Object> blocks = new HashMap<>();
    blocks.put("macvlan", spec.macvlan);
    blocks.put("ipvlan", spec.ipvlan);
    blocks.put("vlan", spec.vlan);
    blocks.put("sriov", spec.sriov);
    blocks.put("ib-sriov", spec.ibsriov);
    blocks.put("ipoib", spec.ipoib);
    blocks.put("ovs", spec.ovs);
    String field = "spec." + (type.equals("ib-sriov") ? "ibsriov" : type);
    if (!type.equals("custom") && blocks.get(type) == null) {
      return FieldError.required(field, "no " + field + " specified");
    }
    for (Map.Entry<String, Object> b : blocks.entrySet()) {
      if (!b.getKey().equals(type) && b.getValue() != null) {
        return FieldError.forbidden("spec.cniType", "the cniType " + type + " only supports "
            + (type.equals("custom") ? "spec.customCNI" : field) + ", please remove other CNI configs");
      }
    }
    switch (type) {
      case "macvlan", "ipvlan" -> {
        var c = type.equals("macvlan") ? spec.macvlan : spec.ipvlan;
        FieldError e = vlanID(field, c.vlanID);
        e = e != null ? e : mtu(field, c.mtu);
        e = e != null ? e : masters(field, c.master, c.bond);
        return e != null ? e : noMatchMasterSubnet(field, type, c.ippools);
      }
      case "vlan" -> {
        var c = spec.vlan;
        if ("auto".equals(c.vlanMode) && c.vlanID != null) {
          return FieldError.invalid(field + ".vlanID", c.vlanID, "vlanId must not be specified when vlanMode is auto");
        }
        if (!"auto".equals(c.vlanMode) && c.vlanID == null) {
          return FieldError.required(field + ".vlanID", "vlanId must not be nil when vlanMode is manual");
        }
        FieldError e = vlanID(field, c.vlanID);
        e = e != null ? e : mtu(field, c.mtu);
        e = e != null ? e : masters(field, c.master, c.bond);
        return e != null ? e : noMatchMasterSubnet(field, type, c.ippools);
      }
      case "sriov" -> {
        var c = spec.sriov;
        FieldError e = vlanID(field, c.vlanID);
        e = e != null ? e : mtu(field, c.mtu);
        if (e == null && c.minTxRateMbps != null && c.maxTxRateMbps != null && c.maxTxRateMbps > 0
            && c.minTxRateMbps > c.maxTxRateMbps) {
          e = FieldError.invalid(field + ".minTxRateMbps", c.minTxRateMbps, "minTxRateMbps must be less than maxTxRateMbps "
              + c.maxTxRateMbps);
        }
        if (e == null && (c.resourceName == null || c.resourceName.isEmpty())) {
          e = FieldError.required(field + ".resourceName", "no " + field + ".resourceName specified");
        }
        return e;
      }
      case "ib-sriov" -> {
        var c = spec.ibsriov;
        return c.resourceName == null || c.resourceName.isEmpty()
            ? FieldError.required(field + ".resourceName", "no " + field + ".resourceName specified") : null;
      }
      case "ipoib" -> {
        return spec.ipoib.master == null || spec.ipoib.master.isEmpty()
            ? FieldError.required(field + ".master", "master can't be empty") : null;
      }
      case "ovs" -> {
        var c = spec.ovs;
        FieldError e = c.vlan != null && (c.vlan < 0 || c.vlan > 4094)
            ? FieldError.invalid(field + ".vlan", c.vlan, "invalid vlanId " + c.vlan + ", please make sure vlanId in range [0,4094]")
            : null;
        for (int i = 0; e == null && c.trunk != null && i < c.trunk.size(); i++) {
          e = trunk(field + ".trunk[" + i + "]", c.trunk.get(i));
        }
        return e;
      }
      default -> {
        if (spec.customCNI != null && !spec.customCNI.isEmpty() && !isJson(spec.customCNI)) {
          return FieldError.forbidden("spec.customCNI", "customCniConfig isn't a valid JSON encoding");
        }
        return null;
      }
    }
  }

  private static FieldError trunk(String field, OvsTrunk t) {
    if (t.minID != null && t.minID > 4094) {
      return FieldError.invalid(field + ".minID", t.minID, "incorrect trunk minID parameter");
    }
    if (t.maxID != null && t.maxID > 4094) {
      return FieldError.invalid(field + ".maxID", t.maxID, "incorrect trunk maxID parameter");
    }
    if (t.maxID != null && t.minID != null && t.maxID < t.minID) {
      return FieldError.invalid(field, t.minID + "-" + t.maxID, "minID is greater than maxID in trunk parameter");
    }
    if (t.id != null && t.id > 4096) {
      return FieldError.invalid(field + ".id", t.id, "incorrect trunk id parameter");
    }
    return null;
  }

  private static FieldError vlanID(String field, Integer id) {
    return id != null && (id < 0 || id > 4094)
        ? FieldError.invalid(field + ".vlanID", id, "invalid vlanId " + id + ", please make sure vlanId in range [0,4094]")
        : null;
  }

  private static FieldError mtu(String field, Integer mtu) {
    return mtu != null && mtu < 0 ? FieldError.invalid(field + ".mtu", mtu, "mtu must not be negative") : null;
  }

  private static FieldError masters(String field, List<String> master, BondConfig bond) {
    if (master == null || master.isEmpty() || master.stream().anyMatch(m -> m == null || m.isEmpty())) {
      return FieldError.invalid(field + ".master", master == null ? List.of() : master, "master can't be empty");
    }
    if (master.size() >= 2 && bond == null) {
      return FieldError.invalid(field + ".bond", null, "the bond property is nil with multiple Interfaces");
    }
    if (master.size() >= 2 && (bond.name == null || bond.name.isEmpty())) {
      return FieldError.invalid(field + ".bond.name", bond.name == null ? "" : bond.name, "bond name can't be empty");
    }
    return null;
  }

  private static FieldError noMatchMasterSubnet(String field, String type, SpiderpoolPools pools) {
    if (pools != null && Boolean.TRUE.equals(pools.matchMasterSubnet)) {
      return FieldError.forbidden(field + ".ippools.matchMasterSubnet", "matchMasterSubnet is only supported by sriov, not "
          + type);
    }
    return null;
  }

  /** Step 4: injection annotations need a resource name and pools; ovs and custom take neither. */
  private static FieldError resourceInjection(SpiderMultusConfig smc) {
    boolean rdma = annotation(smc, Annotations.RDMA_RESOURCE_INJECT) != null;
    boolean network = annotation(smc, Annotations.NETWORK_RESOURCE_INJECT) != null;
    if (!rdma && !network) {
      return null;
    }
    MultusCNIConfigSpec spec = smc.getSpec();
    String type = spec.cniType == null ? "custom" : spec.cniType;
    String field = "metadata.annotations[" + (rdma ? Annotations.RDMA_RESOURCE_INJECT : Annotations.NETWORK_RESOURCE_INJECT) + "]";
    if (!MultusResources.injectable(type)) {
      return FieldError.forbidden(field, "the cniType " + type + " does not support resource injection");
    }
    boolean hasResource = MultusResources.hasResourceName(spec);
    boolean hasPools = MultusResources.hasPools(spec);
    if (rdma && !hasResource) {
      return FieldError.invalid(field, annotation(smc, Annotations.RDMA_RESOURCE_INJECT),
          "RDMA resource injection needs the resource name of the " + type + " config");
    }
    if ((rdma || hasResource) && !hasPools) {
      return FieldError.invalid(field, annotation(smc, rdma ? Annotations.RDMA_RESOURCE_INJECT : Annotations.NETWORK_RESOURCE_INJECT),
          "resource injection needs at least one IPPool in the ippools of the " + type + " config");
    }
    return null;
  }

  /** Step 6: every chained plugin is a CNI plugin object with a type. */
  private static FieldError chain(List<String> chain) {
    for (int i = 0; chain != null && i < chain.size(); i++) {
      String item = chain.get(i);
      String field = "spec.chainCNIJsonData[" + i + "]";
      JsonNode node;
      try {
        node = JSON.readTree(item);
      } catch (JacksonException e) {
        return FieldError.invalid(field, item, "not a valid CNI network configuration: invalid JSON");
      }
      if (node == null || !node.isObject() || !node.path("type").isString() || node.path("type").asString().isEmpty()) {
        return FieldError.invalid(field, item, "not a valid CNI network configuration: missing 'type'");
      }
    }
    return null;
  }

  private static boolean isJson(String text) {
    try {
      JSON.readTree(text);
      return true;
    } catch (JacksonException e) {
      return false;
    }
  }

  private static String annotation(SpiderMultusConfig smc, String key) {
    Map<String, String> a = smc.getMetadata() == null ? null : smc.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }
}

package io.spidernet.spiderpool.controller.multus;

import io.spidernet.spiderpool.api.annotation.Annotations;
import io.spidernet.spiderpool.api.v2beta1.BondConfig;
import io.spidernet.spiderpool.api.v2beta1.CoordinatorSpec;
import io.spidernet.spiderpool.api.v2beta1.MultusCNIConfigSpec;
import io.spidernet.spiderpool.api.v2beta1.OvsTrunk;
import io.spidernet.spiderpool.api.v2beta1.Route;
import io.spidernet.spiderpool.api.v2beta1.SpiderMacvlanCniConfig;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.api.v2beta1.SpiderpoolPools;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What NetworkAttachmentDefinition a SpiderMultusConfig stands for (spec 6.6), as a pure function:
 * its name, its annotations and its {@code spec.config}, the CNI plugin chain
 * [ifacer] + main plugin + [rdma] + chained plugins + [coordinator] + [tuning]. Any thread.
 */
public final class NadRenderer {
  static final String DEFAULT_CNI_VERSION = "0.3.1";
  static final String RESOURCE_NAME = "k8s.v1.cni.cncf.io/resourceName";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private NadRenderer() {}

  /**
   * The NAD as rendered.
   *
   * @param config the CNI configuration, or null for a {@code custom} config without {@code customCNI}
   */
  public record Nad(String name, Map<String, String> annotations, String config) {}

  /** A SpiderMultusConfig this renderer cannot turn into a NAD; the message names what is wrong. */
  public static final class Unrenderable extends RuntimeException {
    Unrenderable(String message) {
      super(message);
    }
  }

  /** The NAD {@code smc} renders; throws {@link Unrenderable} naming the SMC and the field. */
  public static Nad render(SpiderMultusConfig smc) {
    Map<String, String> smcAnnotations = smc.getMetadata().getAnnotations() == null ? Map.of() : smc.getMetadata().getAnnotations();
    String name = nonEmpty(smcAnnotations.get(Annotations.MULTUS_CR_NAME), smc.getMetadata().getName());
    Map<String, String> annotations = new LinkedHashMap<>(smcAnnotations);
    MultusCNIConfigSpec spec = smc.getSpec() == null ? new MultusCNIConfigSpec() : smc.getSpec();
    String type = spec.cniType == null ? "custom" : spec.cniType;
    String where = "SpiderMultusConfig " + smc.getMetadata().getNamespace() + "/" + smc.getMetadata().getName();
    if ("custom".equals(type)) {
      return new Nad(name, annotations, spec.customCNI == null || spec.customCNI.isBlank() ? null : spec.customCNI);
    }
    ArrayNode plugins = JSON.createArrayNode();
    boolean ipam = !Boolean.TRUE.equals(spec.disableIPAM);
    switch (type) {
      case "macvlan", "ipvlan" -> {
        SpiderMacvlanCniConfig c = require("macvlan".equals(type) ? spec.macvlan : spec.ipvlan, where, "spec." + type);
        int vlanID = c.vlanID == null ? 0 : c.vlanID;
        int masters = c.master == null ? 0 : c.master.size();
        if (vlanID != 0 || masters >= 2) {
          plugins.add(ifacer(c.master, vlanID, c.bond));
        }
        ObjectNode main = plugins.addObject().put("type", type).put("master", master(c.master, c.bond, vlanID, where, type));
        if ("macvlan".equals(type)) {
          main.put("mode", "bridge");
        }
        main.put("mtu", c.mtu == null ? 0 : c.mtu);
        ipam(main, ipam, c.ippools, false);
      }
      case "vlan" -> {
        var c = require(spec.vlan, where, "spec.vlan");
        if (c.master != null && c.master.size() >= 2) {
          plugins.add(ifacer(c.master, 0, c.bond));
        }
        String mode = c.vlanMode == null ? "manual" : c.vlanMode;
        ObjectNode main = plugins.addObject().put("type", "vlan").put("master", master(c.master, c.bond, 0, where, type))
            .put("vlanMode", mode);
        if ("manual".equals(mode)) {
          main.put("vlanId", c.vlanID == null ? 0 : c.vlanID);
        }
        main.put("mtu", c.mtu == null ? 0 : c.mtu);
        ipam(main, ipam, c.ippools, false);
      }
      case "sriov" -> {
        var c = require(spec.sriov, where, "spec.sriov");
        ObjectNode main = plugins.addObject();
        if (c.vlanID != null) {
          main.put("vlan", c.vlanID);
        }
        if (c.minTxRateMbps != null) {
          main.put("min_tx_rate", c.minTxRateMbps);
        }
        if (c.maxTxRateMbps != null) {
          main.put("max_tx_rate", c.maxTxRateMbps);
        }
        main.put("type", "sriov");
        ipam(main, ipam, c.ippools, true);
        if (Boolean.TRUE.equals(c.rdmaIsolation)) {
          plugins.addObject().put("type", "rdma");
        }
        if (c.resourceName != null && !c.resourceName.isEmpty()) {
          annotations.put(RESOURCE_NAME, c.resourceName);
        }
      }
      case "ib-sriov" -> {
        var c = require(spec.ibsriov, where, "spec.ibsriov");
        ObjectNode main = plugins.addObject().put("type", "ib-sriov");
        if (c.pkey != null) {
          main.put("pkey", c.pkey);
        }
        if (c.linkState != null) {
          main.put("link_state", c.linkState);
        }
        if (c.rdmaIsolation != null) {
          main.put("rdmaIsolation", c.rdmaIsolation);
        }
        if (c.enableIbKubernetes != null) {
          main.put("ibKubernetesEnabled", c.enableIbKubernetes);
        }
        ipam(main, ipam, c.ippools, false);
        if (c.resourceName != null && !c.resourceName.isEmpty()) {
          annotations.put(RESOURCE_NAME, c.resourceName);
        }
      }
      case "ipoib" -> {
        var c = require(spec.ipoib, where, "spec.ipoib");
        ObjectNode main = plugins.addObject().put("type", "ipoib");
        if (c.master != null) {
          main.put("master", c.master);
        }
        ipam(main, ipam, c.ippools, false);
      }
      case "ovs" -> {
        var c = require(spec.ovs, where, "spec.ovs");
        ObjectNode main = plugins.addObject();
        if (c.vlan != null) {
          main.put("vlan", c.vlan);
        }
        main.put("type", "ovs").put("bridge", c.bridge);
        if (c.deviceID != null && !c.deviceID.isEmpty()) {
          main.put("deviceID", c.deviceID);
          annotations.put(RESOURCE_NAME, "ovs-cni.network.kubevirt.io/" + c.bridge);
        }
        ipam(main, ipam, c.ippools, false);
        if (c.trunk != null && !c.trunk.isEmpty()) {
          ArrayNode trunk = main.putArray("trunk");
          for (OvsTrunk t : c.trunk) {
            ObjectNode entry = trunk.addObject();
            if (t.minID != null) {
              entry.put("minID", t.minID);
            }
            if (t.maxID != null) {
              entry.put("maxID", t.maxID);
            }
            if (t.id != null) {
              entry.put("id", t.id);
            }
          }
        }
      }
      default -> throw new Unrenderable(where + ": spec.cniType " + type + " is not one of macvlan, ipvlan, vlan, sriov, ib-sriov, "
          + "ipoib, ovs, custom");
    }
    if (spec.chainCNIJsonData != null) {
      for (int i = 0; i < spec.chainCNIJsonData.size(); i++) {
        plugins.add(chained(spec.chainCNIJsonData.get(i), where + ": spec.chainCNIJsonData[" + i + "]"));
      }
    }
    if (!Boolean.FALSE.equals(spec.enableCoordinator)) {
      plugins.add(coordinator(spec.coordinator));
    }
    if ("sriov".equals(type) && spec.sriov.mtu != null && spec.sriov.mtu > 0) {
      plugins.addObject().put("type", "tuning").put("mtu", spec.sriov.mtu);
    }
    ObjectNode config = JSON.createObjectNode();
    config.put("cniVersion", nonEmpty(smcAnnotations.get(Annotations.MULTUS_CNI_VERSION), DEFAULT_CNI_VERSION));
    config.put("name", nonEmpty(smcAnnotations.get(Annotations.CNI_CONFIG_NAME), name));
    config.set("plugins", plugins);
    return new Nad(name, annotations, JSON.writeValueAsString(config));
  }

  private static <T> T require(T section, String where, String field) {
    if (section == null) {
      throw new Unrenderable(where + ": " + field + " is required by its cniType");
    }
    return section;
  }

  /** The parent: the only master, else the bond over them; {@code .vlanID} appended when it is not 0. */
  private static String master(List<String> masters, BondConfig bond, int vlanID, String where, String type) {
    String base;
    if (masters != null && masters.size() == 1) {
      base = masters.get(0);
    } else if (bond != null && bond.name != null) {
      base = bond.name;
    } else {
      throw new Unrenderable(where + ": spec." + type + ".bond.name is required with " + (masters == null ? 0 : masters.size())
          + " masters");
    }
    return vlanID != 0 ? base + "." + vlanID : base;
  }

  private static ObjectNode ifacer(List<String> masters, int vlanID, BondConfig bond) {
    ObjectNode ifacer = JSON.createObjectNode();
    if (vlanID != 0) {
      ifacer.put("vlanID", vlanID);
    }
    ifacer.put("type", "ifacer");
    if (masters != null && !masters.isEmpty()) {
      ArrayNode interfaces = ifacer.putArray("interfaces");
      masters.forEach(interfaces::add);
    }
    if (bond != null) {
      ObjectNode b = ifacer.putObject("bond").put("name", bond.name);
      if (bond.mode != null) {
        b.put("mode", bond.mode);
      }
      if (bond.options != null && !bond.options.isEmpty()) {
        b.put("options", bond.options);
      }
    }
    return ifacer;
  }

  private static void ipam(ObjectNode plugin, boolean enabled, SpiderpoolPools pools, boolean matchMasterSubnet) {
    if (!enabled) {
      return;
    }
    ObjectNode ipam = plugin.putObject("ipam").put("type", "spiderpool");
    if (pools != null) {
      list(ipam, "default_ipv4_ippool", pools.ipv4);
      list(ipam, "default_ipv6_ippool", pools.ipv6);
      if (matchMasterSubnet && Boolean.TRUE.equals(pools.matchMasterSubnet)) {
        ipam.put("match_master_subnet", true);
      }
    }
  }

  private static ObjectNode coordinator(CoordinatorSpec c) {
    ObjectNode node = JSON.createObjectNode();
    if (c != null) {
      if (c.txQueueLen != null) {
        node.put("txQueueLen", c.txQueueLen);
      }
      text(node, "vethLinkAddress", c.vethLinkAddress);
      if (c.vethMTU != null) {
        node.put("vethMTU", c.vethMTU);
      }
      if (c.tunePodRoutes != null) {
        node.put("tunePodRoutes", c.tunePodRoutes);
      }
      text(node, "podMACPrefix", c.podMACPrefix);
      text(node, "mode", c.mode);
      text(node, "podDefaultRouteNic", c.podDefaultRouteNIC);
      if (c.podRPFilter != null) {
        node.put("podRPFilter", c.podRPFilter);
      }
      list(node, "hijackCIDR", c.hijackCIDR);
      if (c.policyRoutes != null && !c.policyRoutes.isEmpty()) {
        ArrayNode routes = node.putArray("policyRoutes");
        for (Route r : c.policyRoutes) {
          routes.addObject().put("dst", r.dst).put("gw", r.gw);
        }
      }
    }
    node.put("type", "coordinator");
    return node;
  }

  private static JsonNode chained(String json, String where) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || !node.isObject()) {
        throw new Unrenderable(where + " is not a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw new Unrenderable(where + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static void list(ObjectNode node, String field, List<String> values) {
    if (values != null && !values.isEmpty()) {
      ArrayNode array = node.putArray(field);
      values.forEach(array::add);
    }
  }

  private static void text(ObjectNode node, String field, String value) {
    if (value != null && !value.isEmpty()) {
      node.put(field, value);
    }
  }

  private static String nonEmpty(String value, String otherwise) {
    return value == null || value.isEmpty() ? otherwise : value;
  }
}

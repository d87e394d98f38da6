package io.spidernet.spiderpool.webhook.rules;

import io.spidernet.spiderpool.api.v2beta1.MultusCNIConfigSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderpoolPools;

/** Per cniType, the device resource a SpiderMultusConfig names and the pools it lists (for resource injection). */
final class MultusResources {
  private MultusResources() {}

  /** rdmaResourceName (macvlan, ipvlan, vlan), resourceName (sriov, ib-sriov), master (ipoib); else null. */
  static String resourceName(MultusCNIConfigSpec s) {
    if (s == null || s.cniType == null) {
      return null;
    }
    return switch (s.cniType) {
      case "macvlan" -> s.macvlan == null ? null : s.macvlan.rdmaResourceName;
      case "ipvlan" -> s.ipvlan == null ? null : s.ipvlan.rdmaResourceName;
      case "vlan" -> s.vlan == null ? null : s.vlan.rdmaResourceName;
      case "sriov" -> s.sriov == null ? null : s.sriov.resourceName;
      case "ib-sriov" -> s.ibsriov == null ? null : s.ibsriov.resourceName;
      case "ipoib" -> s.ipoib == null ? null : s.ipoib.master;
      default -> null;
    };
  }

  static boolean hasResourceName(MultusCNIConfigSpec s) {
    String r = resourceName(s);
    return r != null && !r.isEmpty();
  }

  /** Whether the type's {@code ippools} lists at least one pool. */
  static boolean hasPools(MultusCNIConfigSpec s) {
    if (s == null || s.cniType == null) {
      return false;
    }
    SpiderpoolPools p = switch (s.cniType) {
      case "macvlan" -> s.macvlan == null ? null : s.macvlan.ippools;
      case "ipvlan" -> s.ipvlan == null ? null : s.ipvlan.ippools;
      case "vlan" -> s.vlan == null ? null : s.vlan.ippools;
      case "sriov" -> s.sriov == null ? null : s.sriov.ippools;
      case "ib-sriov" -> s.ibsriov == null ? null : s.ibsriov.ippools;
      case "ipoib" -> s.ipoib == null ? null : s.ipoib.ippools;
      default -> null;
    };
    return p != null && ((p.ipv4 != null && !p.ipv4.isEmpty()) || (p.ipv6 != null && !p.ipv6.isEmpty()));
  }

  /** Whether the type can have resources injected at all (ovs and custom cannot). */
  static boolean injectable(String cniType) {
    return cniType != null && !cniType.equals("ovs") && !cniType.equals("custom");
  }
}

package io.spidernet.spiderpool.agent.cni;

import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.Route;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The abbreviated IPAM result of an ADD for one interface, in the requested CNI version: no
 * {@code interfaces}; {@code ips[].version} only for 0.3.x and 0.4.0; routes with the default
 * route via the pool's gateway unless {@code clean_gateway}. Pure.
 */
public final class CniResults {
  private CniResults() {}

  public static ObjectNode add(String cniVersion, String ifName, List<IPAllocationDetail> nics, boolean cleanGateway,
      tools.jackson.databind.JsonNode dns) {
    IPAllocationDetail nic = nics.stream().filter(n -> ifName.equals(n.nic)).findFirst()
        .orElseThrow(() -> new CniError(CniError.ALLOCATION_REFUSED, "no Interface " + ifName + " IP allocation found"));
    boolean legacy = cniVersion.startsWith("0.");
    ObjectNode out = CniCall.JSON.createObjectNode();
    out.put("cniVersion", cniVersion);
    ArrayNode ips = out.putArray("ips");
    ArrayNode routes = out.putArray("routes");
    boolean clean = cleanGateway || Boolean.TRUE.equals(nic.cleanGateway);
    addIp(ips, routes, legacy, "4", nic.ipv4, nic.ipv4Gateway, "0.0.0.0/0", clean);
    addIp(ips, routes, legacy, "6", nic.ipv6, nic.ipv6Gateway, "::/0", clean);
    if (nic.routes != null) {
      for (Route r : nic.routes) {
        routes.addObject().put("dst", r.dst).put("gw", r.gw);
      }
    }
    out.set("dns", dns == null || dns.isMissingNode() || dns.isNull() ? CniCall.JSON.createObjectNode() : dns);
    return out;
  }

  private static void addIp(ArrayNode ips, ArrayNode routes, boolean legacy, String version, String address,
      String gateway, String defaultDst, boolean clean) {
    if (address == null) {
      return;
    }
    ObjectNode ip = ips.addObject();
    if (legacy) {
      ip.put("version", version);
    }
    ip.put("address", address);
    if (gateway != null && !gateway.isEmpty()) {
      ip.put("gateway", gateway);
      if (!clean) {
        routes.addObject().put("dst", defaultDst).put("gw", gateway);
      }
    }
  }

  /** The CNI error result, printed on stdout. */
  public static ObjectNode error(String cniVersion, CniError e) {
    ObjectNode out = CniCall.JSON.createObjectNode();
    out.put("cniVersion", cniVersion == null || cniVersion.isEmpty() ? "1.1.0" : cniVersion);
    out.put("code", e.code());
    out.put("msg", e.getMessage());
    if (e.details() != null) {
      out.put("details", e.details());
    }
    return out;
  }

  public static ObjectNode version(String cniVersion) {
    ObjectNode out = CniCall.JSON.createObjectNode();
    out.put("cniVersion", cniVersion == null || cniVersion.isEmpty() ? "1.1.0" : cniVersion);
    ArrayNode supported = out.putArray("supportedVersions");
    CniCall.SUPPORTED_VERSIONS.forEach(supported::add);
    return out;
  }
}

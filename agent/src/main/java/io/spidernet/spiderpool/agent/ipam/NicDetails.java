package io.spidernet.spiderpool.agent.ipam;

import io.spidernet.spiderpool.core.IpamException;

import io.spidernet.spiderpool.api.annotation.AnnotationException;
import io.spidernet.spiderpool.api.annotation.Annotations;
import io.spidernet.spiderpool.api.annotation.RouteAnnotations;
import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ippool.PoolRanges;
import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a pod's NICs hold, as its SpiderEndpoint records it: the IPs taken, with the pool's prefix
 * length, gateway and routes, and the {@code ipam.spidernet.io/routes} annotation's routes on the
 * NIC whose subnet holds their gateway. Pure.
 */
public final class NicDetails {
  private static final Logger LOG = LoggerFactory.getLogger(NicDetails.class);

  private NicDetails() {}

  static List<IPAllocationDetail> assemble(List<NicCandidates> nics, List<HeldIP> got, PodContext pod) {
    Map<String, IPAllocationDetail> byNic = new LinkedHashMap<>();
    for (NicCandidates nic : nics) {
      IPAllocationDetail d = new IPAllocationDetail();
      d.nic = nic.nic();
      d.cleanGateway = nic.cleanGateway();
      d.vlan = 0L;
      byNic.put(nic.nic(), d);
    }
    for (HeldIP h : got) {
      IPAllocationDetail d = byNic.get(h.nic());
      PoolRanges ranges = PoolRanges.of(h.pool(), h.spec().getSpec());
      String address = h.ip() + "/" + ranges.subnet().prefix();
      if (h.version() == 4) {
        d.ipv4 = address;
        d.ipv4Pool = h.pool();
        d.ipv4Gateway = h.spec().getSpec().gateway;
      } else {
        d.ipv6 = address;
        d.ipv6Pool = h.pool();
        d.ipv6Gateway = h.spec().getSpec().gateway;
      }
      if (h.spec().getSpec().routes != null) {
        List<Route> routes = d.routes == null ? new ArrayList<>() : new ArrayList<>(d.routes);
        routes.addAll(h.spec().getSpec().routes);
        d.routes = routes;
      }
    }
    attachAnnotationRoutes(pod, byNic);
    return new ArrayList<>(byNic.values());
  }

  /** {@code ipam.spidernet.io/routes}: each route goes to the NIC whose subnet holds its gateway. */
  private static void attachAnnotationRoutes(PodContext pod, Map<String, IPAllocationDetail> byNic) {
    String value = pod.annotations().get(Annotations.ROUTES);
    if (value == null) {
      return;
    }
    List<Route> routes;
    try {
      routes = RouteAnnotations.routes(value);
    } catch (AnnotationException e) {
      throw new IpamException(IpamException.Reason.BAD_INPUT, "wrong input, pod " + pod.key() + ": " + e.getMessage());
    }
    for (Route route : routes) {
      IP gw = IP.parse(route.gw);
      IPAllocationDetail target = null;
      for (IPAllocationDetail d : byNic.values()) {
        String address = gw.isV4() ? d.ipv4 : d.ipv6;
        if (address != null) {
          int slash = address.indexOf('/');
          if (Cidr.containing(IP.parse(address.substring(0, slash)), Integer.parseInt(address.substring(slash + 1))).contains(gw)) {
            target = d;
            break;
          }
        }
      }
      if (target == null) {
        LOG.info("pod {}: route {} matches no allocated subnet and is not applied", pod.key(), route);
        continue;
      }
      List<Route> list = target.routes == null ? new ArrayList<>() : new ArrayList<>(target.routes);
      list.add(route);
      target.routes = list;
    }
  }

  /** Bare IPs of every NIC, grouped by pool. */
  public static Map<String, Set<String>> ipsByPool(List<IPAllocationDetail> nics) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (IPAllocationDetail d : nics) {
      if (d.ipv4 != null && d.ipv4Pool != null) {
        out.computeIfAbsent(d.ipv4Pool, k -> new java.util.TreeSet<>()).add(d.ipv4.substring(0, d.ipv4.indexOf('/')));
      }
      if (d.ipv6 != null && d.ipv6Pool != null) {
        out.computeIfAbsent(d.ipv6Pool, k -> new java.util.TreeSet<>()).add(d.ipv6.substring(0, d.ipv6.indexOf('/')));
      }
    }
    return out;
  }
}

package io.spidernet.spiderpool.api.annotation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPFormatException;
import io.spidernet.spiderpool.api.v2beta1.Route;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.type.TypeReference;

/** Parser of {@code ipam.spidernet.io/routes}: extra routes, each attached to the NIC whose subnet holds its gateway. */
public final class RouteAnnotations {
  private RouteAnnotations() {}

  private record RouteJson(@JsonProperty("dst") String dst, @JsonProperty("gw") String gw) {}

  public static List<Route> routes(String value) {
    String a = Annotations.ROUTES;
    List<RouteJson> items = AnnotationJson.decode(a, value, new TypeReference<>() {},
        "an array [{\"dst\":\"10.0.0.0/16\",\"gw\":\"192.168.1.1\"}]");
    List<Route> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      RouteJson r = items.get(i);
      if (r == null || r.dst() == null || r.gw() == null) {
        throw new AnnotationException(a, value, "route " + i + " needs both \"dst\" and \"gw\"");
      }
      Cidr dst;
      IP gw;
      try {
        dst = Cidr.parse(r.dst());
        gw = IP.parse(r.gw());
      } catch (IPFormatException e) {
        throw new AnnotationException(a, value, "route " + i + ": " + e.getMessage());
      }
      if (dst.version() != gw.version()) {
        throw new AnnotationException(a, value, "route " + i + ": dst " + dst + " and gw " + gw + " are of different IP families");
      }
      if (dst.prefix() == 0) {
        throw new AnnotationException(a, value,
            "route " + i + ": the default route comes from the pool's gateway and cannot be set here");
      }
      out.add(new Route(dst.toString(), gw.toString()));
    }
    return List.copyOf(out);
  }
}

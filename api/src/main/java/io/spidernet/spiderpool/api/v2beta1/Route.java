package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A static route: destination CIDR and next hop. Used by pools, subnets and endpoints. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Route {
  @Required public String dst;
  @Required public String gw;

  public Route() {}

  public Route(String dst, String gw) {
    this.dst = dst;
    this.gw = gw;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Route r && Objects.equals(dst, r.dst) && Objects.equals(gw, r.gw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dst, gw);
  }

  @Override
  public String toString() {
    return dst + " via " + gw;
  }
}

package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** Desired state of a SpiderSubnet (spec section 1.2): the IPs its pools may draw from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SubnetSpec {
  @SchemaFrom(type = Schemas.IPVersion.class)
  public Long ipVersion;
  @Required public String subnet;
  public List<String> ips;
  public List<String> excludeIPs;
  public String gateway;
  public List<Route> routes;
}

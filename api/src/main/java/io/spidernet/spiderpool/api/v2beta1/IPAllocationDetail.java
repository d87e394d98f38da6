package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** What one NIC of a pod holds: both families, their pools, gateways and routes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPAllocationDetail {
  @JsonProperty("interface")
  @Required
  public String nic;

  /** CIDR form, e.g. {@code 10.6.1.5/16}. */
  public String ipv4;

  public String ipv6;
  public String ipv4Pool;
  public String ipv6Pool;

  @Default("0")
  @Min(0)
  @Max(4094)
  public Long vlan;

  public String ipv4Gateway;
  public String ipv6Gateway;
  public Boolean cleanGateway;
  public List<Route> routes;
  public String mac;
}

package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A bond over the master interfaces of a macvlan, ipvlan or vlan config. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BondConfig {
  @Required public String name;

  @Required
  @Min(0)
  @Max(6)
  public Integer mode;

  public String options;
}

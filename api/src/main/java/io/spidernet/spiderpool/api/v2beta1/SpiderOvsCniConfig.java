package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** The {@code ovs} section of a SpiderMultusConfig. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SpiderOvsCniConfig {
  @Required public String bridge;
  public Integer vlan;
  public List<OvsTrunk> trunk;

  /** PCI address of the VF. */
  @JsonProperty("deviceID")
  public String deviceID;

  public SpiderpoolPools ippools;
}

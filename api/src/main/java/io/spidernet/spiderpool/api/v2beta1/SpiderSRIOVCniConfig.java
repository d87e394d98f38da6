package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The {@code sriov} section of a SpiderMultusConfig. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SpiderSRIOVCniConfig {
  public String resourceName;

  @JsonProperty("vlanID")
  @Min(0)
  @Max(4094)
  public Integer vlanID;

  @Default("0")
  @Min(0)
  public Integer mtu;

  @Min(0) public Integer minTxRateMbps;
  @Min(0) public Integer maxTxRateMbps;

  @Default("false")
  public Boolean rdmaIsolation;

  public SpiderpoolPools ippools;
}

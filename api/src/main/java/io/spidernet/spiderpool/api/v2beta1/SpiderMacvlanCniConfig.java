package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** The {@code macvlan} and {@code ipvlan} sections of a SpiderMultusConfig (same schema). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SpiderMacvlanCniConfig {
  @Required public List<String> master;

  @Default("0")
  @Min(0)
  public Integer mtu;

  @JsonProperty("vlanID")
  @Min(0)
  @Max(4094)
  public Integer vlanID;

  public BondConfig bond;
  public String rdmaResourceName;
  public SpiderpoolPools ippools;
}

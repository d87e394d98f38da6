package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** The {@code vlan} section of a SpiderMultusConfig. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SpiderVlanCniConfig {
  @Required public List<String> master;

  @Default("0")
  @Min(0)
  public Integer mtu;

  /** {@code manual} (vlanID required) or {@code auto} (vlanID forbidden). */
  @SchemaFrom(type = Schemas.VlanMode.class)
  @Default("manual")
  public String vlanMode;

  @JsonProperty("vlanID")
  @Min(0)
  @Max(4094)
  public Integer vlanID;

  public BondConfig bond;
  public String rdmaResourceName;
  public SpiderpoolPools ippools;
}

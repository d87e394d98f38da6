package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** One trunk entry of an OVS port: a VLAN id or an id range. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OvsTrunk {
  @JsonProperty("minID")
  @Min(0)
  @Max(4094)
  public Integer minID;

  @JsonProperty("maxID")
  @Min(0)
  @Max(4094)
  public Integer maxID;

  @Min(0)
  @Max(4094)
  public Integer id;
}

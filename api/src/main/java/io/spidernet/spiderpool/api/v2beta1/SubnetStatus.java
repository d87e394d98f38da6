package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;

/**
 * Observed state of a SpiderSubnet. {@code controlledIPPools} is a JSON string, see
 * {@link io.spidernet.spiderpool.api.codec.ControlledIPPools}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SubnetStatus {
  public String controlledIPPools;
  @Min(0) public Long totalIPCount;
  @Min(0) public Long allocatedIPCount;
}

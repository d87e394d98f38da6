package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;

/**
 * Observed state of a SpiderIPPool. {@code allocatedIPs} is a JSON string of the records, see
 * {@link io.spidernet.spiderpool.api.codec.PoolIPAllocations}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPPoolStatus {
  public String allocatedIPs;
  @Min(0) public Long totalIPCount;
  @Min(0) public Long allocatedIPCount;
}

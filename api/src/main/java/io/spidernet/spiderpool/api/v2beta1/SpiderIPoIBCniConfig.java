package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The {@code ipoib} section of a SpiderMultusConfig. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SpiderIPoIBCniConfig {
  public String master;
  public SpiderpoolPools ippools;
}

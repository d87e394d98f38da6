package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;

/** The {@code ibsriov} (InfiniBand SR-IOV) section of a SpiderMultusConfig. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SpiderIBSRIOVCniConfig {
  public String resourceName;
  public String pkey;

  @SchemaFrom(type = Schemas.LinkState.class)
  @Default("enable")
  public String linkState;

  @Default("true")
  public Boolean rdmaIsolation;

  @Default("false")
  public Boolean enableIbKubernetes;

  public SpiderpoolPools ippools;
}

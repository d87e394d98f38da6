package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import java.util.List;

/** The pools a SpiderMultusConfig writes into its NAD's {@code ipam} section. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SpiderpoolPools {
  public List<String> ipv4;
  public List<String> ipv6;

  @SchemaFrom(type = Schemas.MatchMasterSubnet.class)
  @Default("false")
  public Boolean matchMasterSubnet;
}

package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.List;

/** IPs that no pool may hand out (spec section 1.3). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReservedIPSpec {
  @SchemaFrom(type = Schemas.IPVersion.class)
  public Long ipVersion;
  public List<String> ips;
}

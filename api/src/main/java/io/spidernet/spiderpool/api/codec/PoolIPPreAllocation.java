package io.spidernet.spiderpool.api.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of a SpiderSubnet's {@code status.controlledIPPools}: the IPs a pool took from the
 * subnet and, for auto-created pools, the application it serves.
 *
 * @param ips ranges in Spiderpool's list form
 * @param application {@code <group>_<version>_<Kind>_<ns>_<name>}, or null for a manual pool
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoolIPPreAllocation(
    @JsonProperty("ips") List<String> ips, @JsonProperty("application") String application) {}

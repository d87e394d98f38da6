package io.spidernet.spiderpool.agent.ipam;

import java.util.List;

/** The pools one NIC may draw from, per family, in try order, and whether to skip the default route. */
public record NicCandidates(String nic, boolean cleanGateway, List<String> ipv4, List<String> ipv6) {}

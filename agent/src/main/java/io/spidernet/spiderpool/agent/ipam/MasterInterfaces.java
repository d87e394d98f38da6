package io.spidernet.spiderpool.agent.ipam;

import io.spidernet.spiderpool.core.IpamException;

import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IP;
import java.io.IOException;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds the master interface of an SR-IOV VF for pools filtered with {@code matchMasterSubnet}
 * (spec 2.3): the VF's PCI address (the {@code deviceID} Multus adds to the CNI configuration of a
 * device-plugin network) leads through sysfs ({@code bus/pci/devices/<vf>/physfn}) to its physical
 * function, whose network interface's host addresses a pool's subnet must contain. Blocking (sysfs
 * and interface reads); call it off the event loop.
 */
public final class MasterInterfaces {
  private final Path sysfs;
  private final Function<String, List<IP>> addressesOf;

  /** Reads {@code sysfs} (normally {@code /sys}) and the host's interfaces. */
  public MasterInterfaces(Path sysfs) {
    this(sysfs, MasterInterfaces::hostAddresses);
  }

  MasterInterfaces(Path sysfs, Function<String, List<IP>> addressesOf) {
    this.sysfs = sysfs;
    this.addressesOf = addressesOf;
  }

  /** The physical function's interface of a VF and its addresses on this host. */
  public record Master(String vf, String name, List<IP> addresses) {
    /** Whether one of the master's addresses lies in {@code subnet}. */
    boolean within(Cidr subnet) {
      return addresses.stream().anyMatch(subnet::contains);
    }
  }

  /** The master of VF {@code deviceId} (a PCI address such as {@code 0000:af:06.0}). */
  public Master of(String deviceId) {
    if (deviceId == null || deviceId.isEmpty()) {
      throw new IpamException(IpamException.Reason.BAD_INPUT, "wrong input, matchMasterSubnet needs the VF's PCI address (deviceID in the CNI "
          + "network configuration, set by Multus for device-plugin networks), and this request has none");
    }
    Path devices = sysfs.resolve("bus/pci/devices");
    Path vf = devices.resolve(deviceId);
    if (!Files.isDirectory(vf)) {
      throw new IpamException(IpamException.Reason.REFUSED, "matchMasterSubnet: no PCI device " + deviceId + " under " + devices);
    }
    Path physfn = vf.resolve("physfn");
    if (!Files.isSymbolicLink(physfn)) {
      throw new IpamException(IpamException.Reason.REFUSED, "matchMasterSubnet: PCI device " + deviceId + " is not an SR-IOV VF (" + physfn
          + " is missing)");
    }
    String pf;
    try {
      pf = Files.readSymbolicLink(physfn).getFileName().toString();
    } catch (IOException e) {
      throw new IpamException(IpamException.Reason.REFUSED, "matchMasterSubnet: cannot read " + physfn + ": " + e.getMessage());
    }
    Path net = devices.resolve(pf).resolve("net");
    String name;
    try (Stream<Path> names = Files.list(net)) {
      name = names.map(p -> p.getFileName().toString()).sorted().findFirst().orElse(null);
    } catch (IOException e) {
      name = null;
    }
    if (name == null) {
      throw new IpamException(IpamException.Reason.REFUSED, "matchMasterSubnet: the physical function " + pf + " of VF " + deviceId
          + " has no network interface (" + net + ")");
    }
    return new Master(deviceId, name, addressesOf.apply(name));
  }

  private static List<IP> hostAddresses(String name) {
    try {
      NetworkInterface nif = NetworkInterface.getByName(name);
      if (nif == null) {
        throw new IpamException(IpamException.Reason.REFUSED, "matchMasterSubnet: the master interface " + name + " is not in this host's network namespace");
      }
      List<IP> out = new ArrayList<>();
      for (InterfaceAddress a : nif.getInterfaceAddresses()) {
        String text = a.getAddress().getHostAddress();
        int scope = text.indexOf('%');
        out.add(IP.parse(scope < 0 ? text : text.substring(0, scope)));
      }
      return out;
    } catch (SocketException e) {
      throw new IpamException(IpamException.Reason.REFUSED, "matchMasterSubnet: cannot read the addresses of " + name + ": " + e.getMessage());
    }
  }
}

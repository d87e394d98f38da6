package io.spidernet.spiderpool.agent.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spidernet.spiderpool.api.ip.IP;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VF → PF → interface walk over a tree shaped like sysfs (this machine has no SR-IOV device),
 * with the PF's interface being this host's real loopback, so the address read is the real one.
 */
class MasterInterfacesTest {
  static final String VF = "0000:af:06.0";
  static final String PF = "0000:af:00.0";

  @TempDir
  Path sysfs;

  private Path devices() throws Exception {
    return Files.createDirectories(sysfs.resolve("bus/pci/devices"));
  }

  @Test
  void aVfLeadsToItsPhysicalFunctionsInterfaceAndItsHostAddresses() throws Exception {
    Path devices = devices();
    Files.createDirectories(devices.resolve(VF));
    Files.createSymbolicLink(devices.resolve(VF).resolve("physfn"), Path.of("../" + PF));
    Files.createDirectories(devices.resolve(PF).resolve("net/lo"));

    MasterInterfaces.Master master = new MasterInterfaces(sysfs).of(VF);

    assertThat(master.name()).isEqualTo("lo");
    assertThat(master.addresses()).contains(IP.parse("127.0.0.1"));
    assertThat(master.within(io.spidernet.spiderpool.api.ip.Cidr.parse("127.0.0.0/8"))).isTrue();
    assertThat(master.within(io.spidernet.spiderpool.api.ip.Cidr.parse("10.0.0.0/8"))).isFalse();
  }

  @Test
  void eachMissingLinkIsNamed() throws Exception {
    Path devices = devices();
    MasterInterfaces masters = new MasterInterfaces(sysfs);
    assertThatThrownBy(() -> masters.of(null)).hasMessageContaining("wrong input, matchMasterSubnet needs the VF's PCI address");
    assertThatThrownBy(() -> masters.of(VF)).hasMessage("matchMasterSubnet: no PCI device " + VF + " under " + devices);

    Files.createDirectories(devices.resolve(VF));
    assertThatThrownBy(() -> masters.of(VF)).hasMessageContaining("PCI device " + VF + " is not an SR-IOV VF");

    Files.createSymbolicLink(devices.resolve(VF).resolve("physfn"), Path.of("../" + PF));
    assertThatThrownBy(() -> masters.of(VF))
        .hasMessageContaining("the physical function " + PF + " of VF " + VF + " has no network interface");

    Files.createDirectories(devices.resolve(PF).resolve("net/spj-no-such-if0"));
    assertThatThrownBy(() -> masters.of(VF))
        .hasMessage("matchMasterSubnet: the master interface spj-no-such-if0 is not in this host's network namespace");
  }
}

package io.spidernet.spiderpool.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart's init container installing the image's plugins into the node's CNI directory. */
class PluginInstallerTest {
  @Test
  void replacesThePluginsExecutableAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
    Path image = Files.createDirectories(dir.resolve("image"));
    Path node = Files.createDirectories(dir.resolve("node"));
    Files.writeString(image.resolve("spiderpool"), "new");
    Files.writeString(node.resolve("spiderpool"), "old");
    Files.writeString(node.resolve("macvlan"), "someone else's");

    assertThat(PluginInstaller.install(image, node)).containsExactly("spiderpool");

    assertThat(Files.readString(node.resolve("spiderpool"))).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.resolve("spiderpool")))).isEqualTo("rwxr-xr-x");
    assertThat(Files.readString(node.resolve("macvlan"))).as("other plugins untouched").isEqualTo("someone else's");
    try (var files = Files.list(node)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("spiderpool", "macvlan");
    }
  }

  @Test
  void anImageWithoutPluginsFailsNamingTheDirectory(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> PluginInstaller.install(dir.resolve("missing"), dir)).hasMessageContaining("no plugin directory");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> PluginInstaller.install(empty, dir.resolve("node"))).hasMessageContaining("no plugin in");
  }
}

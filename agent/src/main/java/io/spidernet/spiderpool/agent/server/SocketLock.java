package io.spidernet.spiderpool.agent.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive claim on a socket path: an advisory lock on {@code <socket>.lock} beside it, holding
 * the owner's PID. Only the holder may remove a stale socket file and listen; a second agent started
 * on the same path is refused, naming the first, instead of unlinking the socket the first serves.
 * The kernel drops the lock when its process dies, so a crashed agent never blocks the next one.
 */
final class SocketLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private SocketLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock of {@code socket}; fails naming the process that holds it. Blocking (file I/O). */
  static SocketLock take(Path socket) throws IOException {
    Path path = socket.resolveSibling(socket.getFileName() + ".lock");
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very process (another agent of a test JVM)
    }
    if (lock == null) {
      ByteBuffer holder = ByteBuffer.allocate(32);
      channel.read(holder, 0);
      channel.close();
      String pid = new String(holder.array(), 0, holder.position(), StandardCharsets.US_ASCII).trim();
      throw new IllegalStateException("another spiderpool-agent (pid " + (pid.isEmpty() ? "unknown" : pid)
          + ") serves unix:" + socket + " and holds " + path + "; refusing to start a second one on the same socket");
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    return new SocketLock(channel, lock);
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the channel is gone with the process anyway
    }
  }
}

package io.spidernet.spiderpool.core.ippool;

/** A pool could not be read or written; the message names the pool and the reason. */
public class PoolWriteException extends RuntimeException {
  public PoolWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
